package dev.mmcheck.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StateEncoderTest {

    private static long fingerprint(int... words) {
        StateEncoder encoder = new StateEncoder();
        for (int w : words) {
            encoder.putInt(w);
        }
        return encoder.fingerprint();
    }

    @Test
    @DisplayName("Equal encodings have equal fingerprints, and reset starts a fresh encoding")
    void equalEncodingsEqualFingerprints() {
        StateEncoder encoder = new StateEncoder();
        encoder.putInt(99);
        encoder.reset();
        encoder.putLong(0x0000_0007_0000_0009L);
        encoder.putBoolean(true);
        assertEquals(fingerprint(7, 9, 1), encoder.fingerprint());
        assertEquals(3, encoder.size());
    }

    @Test
    @DisplayName("Encodings that differ only in length or order have different fingerprints")
    void lengthAndOrderMatter() {
        assertNotEquals(fingerprint(), fingerprint(0));
        assertNotEquals(fingerprint(0), fingerprint(0, 0));
        assertNotEquals(fingerprint(1, 2), fingerprint(2, 1));
        assertNotEquals(fingerprint(1, 2, 3), fingerprint(1, 2, 3, 0));
    }

    @Test
    @DisplayName("The 2^20 encodings of pairs below 1024 have 2^20 distinct fingerprints")
    void noCollisionsOnSmallPairs() {
        Set<Long> seen = new HashSet<>();
        for (int a = 0; a < 1024; a++) {
            for (int b = 0; b < 1024; b++) {
                seen.add(fingerprint(a, b));
            }
        }
        assertEquals(1 << 20, seen.size());
    }

    @Test
    @DisplayName("The visited set keeps ids through growth and stores a fingerprint of 0 like any other")
    void fingerprintTableGrowsAndAcceptsZero() {
        FingerprintTable table = new FingerprintTable();
        table.put(0L, 0);
        for (int id = 1; id < 100_000; id++) {
            table.put(fingerprint(id), id);
        }
        assertEquals(100_000, table.size());
        assertEquals(0, table.get(0L));
        for (int id = 1; id < 100_000; id++) {
            assertEquals(id, table.get(fingerprint(id)));
        }
        assertEquals(FingerprintTable.ABSENT, table.get(fingerprint(-5)));
    }
}
