#!/usr/bin/env python3
"""Offline verifier of Puente audit-log Merkle proofs (RFC 9162, section 2.1). Standard library only.

The audit log's entries are the leaves of an RFC 9162 Merkle tree with SHA-256:
  leaf index  = seq - 1             (seq = 1, 2, 3, ... is the entry's position in the log)
  leaf input  = the 32 bytes of the entry's hash (the hex "entryHash" of the export)
  leaf hash   = SHA-256(0x00 || leaf input)
  node hash   = SHA-256(0x01 || left || right)
  tree size   = number of leaves = seq of the last entry in the tree

Usage:
  python3 puente_proof.py inclusion FILE.json
      FILE: {"seq": 42, "entryHash": "<hex>", "treeSize": 107, "rootHash": "<hex>", "path": ["<hex>", ...]}
  python3 puente_proof.py consistency FILE.json
      FILE: {"fromSize": 5, "fromRoot": "<hex>", "toSize": 107, "toRoot": "<hex>", "path": ["<hex>", ...]}

Exit status 0 and "OK ..." if the proof holds; exit status 1 and the reason if it does not.
The two loops below are RFC 9162 2.1.3.2 and 2.1.4.2, step for step.
"""
import hashlib
import hmac
import json
import sys


class ProofError(Exception):
    """The proof does not hold; the message says why."""


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def leaf_hash(leaf_input):
    return hashlib.sha256(b"\x00" + leaf_input).digest()


def hash_from_hex(what, value):
    """A 32-byte hash written as hex; anything else is refused."""
    try:
        h = bytes.fromhex(value)
    except (TypeError, ValueError):
        raise ProofError(f"{what} is not hex")
    if len(h) != 32:
        raise ProofError(f"{what} is {len(h)} bytes, not 32")
    return h


def size_from_json(what, value):
    if type(value) is not int or value < 0:
        raise ProofError(f"{what} is not a whole number >= 0")
    return value


def same(a, b):
    return hmac.compare_digest(a, b)  # constant time, as a habit for hash comparisons


def verify_inclusion(index, size, leaf, path, root):
    """RFC 9162 2.1.3.2: recompute the root from the leaf hash and the path."""
    if index >= size:
        raise ProofError(f"leaf index {index} (entry {index + 1}) is not in a tree of size {size}")
    fn, sn, r = index, size - 1, leaf  # fn: our node's index, sn: the last node's index, per level
    for p in path:
        if sn == 0:
            raise ProofError("the path is longer than the tree is high (extra hash)")
        if fn & 1 or fn == sn:  # our node is a right child, or the last node of its level
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:  # skip levels where the last node has no sibling
                fn, sn = fn >> 1, sn >> 1
        else:  # our node is a left child
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError("the path ends below the root (missing hash)")
    if not same(r, root):
        raise ProofError("the root computed from the entry and the path differs from rootHash")


def verify_consistency(size1, size2, root1, root2, path):
    """RFC 9162 2.1.4.2: recompute both roots from the proof."""
    if size1 > size2:
        raise ProofError(f"fromSize {size1} is larger than toSize {size2}")
    if size1 == 0 or size1 == size2:  # cases the RFC leaves to the caller: the proof is empty
        if path:
            raise ProofError(f"a proof from size {size1} to size {size2} is empty, this one has {len(path)} hashes")
        if size1 == 0 and not same(root1, hashlib.sha256(b"").digest()):
            raise ProofError("the root of a tree of size 0 is SHA-256 of the empty string")
        if size1 == size2 and not same(root1, root2):
            raise ProofError("two trees of the same size have different roots")
        return
    if not path:
        raise ProofError("the proof is empty")
    if size1 & (size1 - 1) == 0:  # size1 is a power of two: the old tree is a subtree of the new one
        path = [root1] + path
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:  # climb to the old tree's rightmost complete subtree
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]  # fr rebuilds the old root, sr the new one
    for c in path[1:]:
        if sn == 0:
            raise ProofError("the proof is longer than needed (extra hash)")
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError("the proof ends below the new root (missing hash)")
    if not same(fr, root1):
        raise ProofError("the old root computed from the proof differs from fromRoot")
    if not same(sr, root2):
        raise ProofError("the new root computed from the proof differs from toRoot")


def hashes(doc):
    path = doc.get("path")
    if not isinstance(path, list):
        raise ProofError("path is not a list")
    return [hash_from_hex(f"path[{i}]", p) for i, p in enumerate(path)]


def main(argv):
    if len(argv) != 3 or argv[1] not in ("inclusion", "consistency"):
        print("usage: puente_proof.py inclusion|consistency FILE.json", file=sys.stderr)
        return 2
    try:
        with open(argv[2], encoding="utf-8") as f:
            doc = json.load(f)
        if argv[1] == "inclusion":
            seq = size_from_json("seq", doc.get("seq"))
            if seq < 1:
                raise ProofError("seq starts at 1")
            size = size_from_json("treeSize", doc.get("treeSize"))
            entry = hash_from_hex("entryHash", doc.get("entryHash"))
            verify_inclusion(seq - 1, size, leaf_hash(entry), hashes(doc), hash_from_hex("rootHash", doc.get("rootHash")))
            print(f"OK inclusion of entry {seq} in tree of size {size}")
        else:
            size1 = size_from_json("fromSize", doc.get("fromSize"))
            size2 = size_from_json("toSize", doc.get("toSize"))
            verify_consistency(size1, size2, hash_from_hex("fromRoot", doc.get("fromRoot")),
                               hash_from_hex("toRoot", doc.get("toRoot")), hashes(doc))
            print(f"OK consistency of tree of size {size1} with tree of size {size2}")
        return 0
    except (OSError, ValueError, AttributeError, ProofError) as e:
        print(f"FAILED {argv[1]}: {e}")
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
