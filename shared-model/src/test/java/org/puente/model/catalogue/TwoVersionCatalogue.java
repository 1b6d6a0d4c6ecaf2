package org.puente.model.catalogue;

/** Gives tests outside this package the catalogue with two versions of cargo.manifest. */
public final class TwoVersionCatalogue {
    private TwoVersionCatalogue() {
    }

    public static MessageCatalogue load() {
        return TestCatalogues.twoManifestVersions();
    }
}
