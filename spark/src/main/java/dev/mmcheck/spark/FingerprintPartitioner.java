package dev.mmcheck.spark;

import org.apache.spark.Partitioner;

/**
 * Sends a fingerprint (a {@code Long} key) to one partition, the same one on every level: the partition that owns its
 * part of the visited set. The top bits are used, as in the local engine's visited set, since fingerprints are
 * already well mixed.
 */
final class FingerprintPartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int partitions;

    FingerprintPartitioner(int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1: " + partitions);
        }
        this.partitions = partitions;
    }

    static int of(long fingerprint, int partitions) {
        return (int) Long.remainderUnsigned(fingerprint >>> 16 ^ fingerprint * 0x9e3779b97f4a7c15L >>> 40, partitions);
    }

    @Override
    public int numPartitions() {
        return partitions;
    }

    @Override
    public int getPartition(Object key) {
        return of((Long) key, partitions);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FingerprintPartitioner p && p.partitions == partitions;
    }

    @Override
    public int hashCode() {
        return partitions;
    }
}
