package org.puente.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.puente.audit.AuditEntry;
import org.puente.audit.merkle.MemoryTree;
import org.puente.audit.merkle.MerkleHash;
import org.puente.audit.merkle.MerkleVerifier;
import org.puente.audit.store.AuditStore;
import org.puente.audit.store.TimestampStore;
import org.puente.audit.store.TreeStore;
import org.puente.audit.store.WitnessStore;
import org.puente.engine.testing.OnBothDatabases;
import org.puente.engine.testing.TestDatabase;

/**
 * The SQL of the Merkle tree, of cross-witnessing and of time-stamps on both databases the gateway
 * runs on (the through-the-gateways tests run on SQLite): the stored tree has the root and proofs
 * of an independent in-memory tree over the same entry hashes, the witness and stamp rows read back
 * as written, and the database refuses to change or remove any of them.
 */
class WitnessStoresTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final Instant T = AuditFixtures.T0;

    @OnBothDatabases
    void the_stored_tree_matches_an_independent_tree_over_the_entry_hashes(TestDatabase db) throws Exception {
        AuditLog audit = AuditFixtures.registered(db.tx(), db.database().dialect());
        AuditFixtures.write(db.tx(), audit, 1, 23);
        AuditTree tree = new AuditTree(db.tx(), new AuditStore(), new TreeStore());
        assertThat(tree.grow()).isEqualTo(23);
        AuditFixtures.write(db.tx(), audit, 24, 14);
        assertThat(tree.grow()).isEqualTo(37);
        assertThat(tree.grow()).isEqualTo(37);

        List<AuditEntry> entries = new ArrayList<>();
        db.tx().read(c -> {
            new AuditStore().walk(c, 1, 37, entries::add);
            return null;
        });
        MemoryTree independent = new MemoryTree();
        entries.forEach(e -> independent.appendLeaf(HEX.parseHex(e.hash())));
        assertThat(tree.root(37)).isEqualTo(HEX.formatHex(independent.root()));
        assertThat(tree.root(16)).isEqualTo(HEX.formatHex(independent.root(16)));
        MerkleVerifier.verifyInclusion(4, 37, MerkleHash.leafHash(HEX.parseHex(entries.get(4).hash())),
                tree.inclusion(5, 37).stream().map(HEX::parseHex).toList(), independent.root());
        MerkleVerifier.verifyConsistency(10, 37, independent.root(10), independent.root(),
                tree.consistency(10, 37).stream().map(HEX::parseHex).toList());
    }

    @OnBothDatabases
    void cosignatures_witnessed_checkpoints_and_stamps_read_back_as_written(TestDatabase db) {
        WitnessStore w = new WitnessStore();
        TimestampStore t = new TimestampStore();
        byte[] cms = {1, 2, 3};
        db.tx().write(c -> {
            assertThat(w.addCosignature(c, new WitnessStore.Cosignature(10, "gateway.mx.puente.sample", "aa".repeat(32), T, cms)))
                    .isTrue();
            assertThat(w.addCosignature(c, new WitnessStore.Cosignature(10, "gateway.mx.puente.sample", "bb".repeat(32), T, cms)))
                    .as("one cosignature per checkpoint").isFalse();
            w.addCosignature(c, new WitnessStore.Cosignature(25, "gateway.mx.puente.sample", "cc".repeat(32), T.plusSeconds(1), cms));
            w.addWitnessed(c, new WitnessStore.Witnessed("gateway.us.puente.sample", 40, "dd".repeat(32), WitnessStore.COSIGNED,
                    null, T, cms, cms));
            w.addWitnessed(c, new WitnessStore.Witnessed("gateway.us.puente.sample", 30, "ee".repeat(32), WitnessStore.COSIGNED,
                    null, T.plusSeconds(5), cms, cms));
            w.addWitnessed(c, new WitnessStore.Witnessed("gateway.us.puente.sample", 50, "ff".repeat(32), WitnessStore.REFUSED,
                    "forked", T.plusSeconds(9), cms, null));
            assertThat(t.add(c, new TimestampStore.Stamp(10, T, "CN=tsa.us.puente.sample", cms))).isTrue();
            assertThat(t.add(c, new TimestampStore.Stamp(10, T, "CN=tsa.us.puente.sample", cms))).isFalse();
            return null;
        });
        db.tx().read(c -> {
            assertThat(w.latestCosignature(c).map(WitnessStore.Cosignature::seq)).contains(25L);
            assertThat(w.cosignatureCovering(c, 11).map(WitnessStore.Cosignature::seq)).contains(25L);
            assertThat(w.cosignatureCovering(c, 10).map(WitnessStore.Cosignature::rootHash)).contains("aa".repeat(32));
            assertThat(w.cosignatureCovering(c, 26)).isEmpty();
            assertThat(w.cosignatures(c, 1, 100)).extracting(WitnessStore.Cosignature::seq).containsExactly(10L, 25L);
            Optional<WitnessStore.Witnessed> last = w.lastCosigned(c, "gateway.us.puente.sample");
            assertThat(last.map(WitnessStore.Witnessed::treeSize)).as("the largest cosigned, not the latest").contains(40L);
            assertThat(w.refused(c, "gateway.us.puente.sample", 5)).extracting(WitnessStore.Witnessed::reason)
                    .containsExactly("forked");
            assertThat(t.latestSeq(c)).isEqualTo(10);
            assertThat(t.stamp(c, 10).map(TimestampStore.Stamp::genTime)).contains(T);
            assertThat(t.stamp(c, 11)).isEmpty();
            return null;
        });
    }

    @OnBothDatabases
    void the_database_refuses_to_change_or_remove_tree_witness_and_stamp_rows(TestDatabase db) throws Exception {
        cosignatures_witnessed_checkpoints_and_stamps_read_back_as_written(db);
        db.tx().write(c -> {
            new TreeStore().insert(c, List.of(new org.puente.audit.merkle.MerkleNode(0, 0, new byte[32])));
            return null;
        });
        for (String sql : List.of("UPDATE audit_tree_node SET hash = 'x'", "DELETE FROM audit_tree_node",
                "UPDATE audit_cosignature SET witness = 'x'", "DELETE FROM audit_cosignature",
                "UPDATE witnessed_checkpoint SET verdict = 'COSIGNED'", "DELETE FROM witnessed_checkpoint",
                "UPDATE audit_timestamp SET tsa = 'x'", "DELETE FROM audit_timestamp")) {
            try (Connection c = db.connection()) {
                assertThatThrownBy(() -> AuditFixtures.sql(c, sql)).as(sql).isInstanceOf(SQLException.class)
                        .hasMessageContaining("append-only");
            }
        }
    }
}
