package dev.mmcheck.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    @DisplayName("The detail lane follows the encoding in the packed state but is not part of the fingerprint")
    void detailIsPackedButNotFingerprinted() {
        assertEquals(null, new StateEncoder().detail());
        StateEncoder encoder = StateEncoder.withDetail();
        encoder.putInt(7);
        encoder.detail().accept(40);
        encoder.putInt(9);
        encoder.detail().accept(41);
        assertEquals(fingerprint(7, 9), encoder.fingerprint());
        assertEquals(4, encoder.size());
        assertEquals(java.util.List.of(7, 9, 40, 41), java.util.Arrays.stream(encoder.toArray()).boxed().toList());
        encoder.reset();
        encoder.putInt(7);
        assertEquals(1, encoder.size());
        assertEquals(java.util.List.of(7), java.util.Arrays.stream(encoder.toArray()).boxed().toList());
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
    @DisplayName("The visited set finds every fingerprint it stored through growth, a fingerprint of 0 included")
    void fingerprintTableGrowsAndAcceptsZero() {
        for (int bits : new int[] {64, 128}) {
            FingerprintTable table = new FingerprintTable(bits);
            assertTrue(table.add(0L, 0L));
            for (int id = 1; id < 100_000; id++) {
                assertTrue(table.add(fingerprint(id), id));
            }
            assertEquals(100_000, table.size());
            assertFalse(table.add(0L, 0L));
            assertTrue(table.contains(0L, 0L));
            for (int id = 1; id < 100_000; id++) {
                assertTrue(table.contains(fingerprint(id), id));
                assertFalse(table.add(fingerprint(id), id));
            }
            assertFalse(table.contains(fingerprint(-5), -5));
            // 128 bits: the same first word with another second word is another state.
            assertEquals(bits == 128, table.add(fingerprint(7), 8));
        }
    }

    @Test
    @DisplayName("The collision bound is n^2/2^(b+1): 2.7e-6 for 1e7 states with 64 bits, 1.5e-25 with 128")
    void collisionProbability() {
        assertEquals(1e14 / Math.pow(2, 65), new FingerprintTable(64).omissionProbability(10_000_000), 1e-20);
        assertEquals(1e14 / Math.pow(2, 129), new FingerprintTable(128).omissionProbability(10_000_000), 1e-40);
        assertEquals(1.0, new FingerprintTable(64).omissionProbability(Long.MAX_VALUE));
    }

    @Test
    @DisplayName("A bitstate set never forgets a state it stored, and a full one takes everything for visited")
    void bitstateSet() {
        BitstateSet set = new BitstateSet(1 << 20);
        int stored = 0;
        for (int i = 0; i < 10_000; i++) {
            stored += set.add(fingerprint(i), 0) ? 1 : 0;
        }
        for (int i = 0; i < 10_000; i++) {
            assertTrue(set.contains(fingerprint(i), 0));
        }
        assertTrue(stored > 9_990 && stored <= 10_000, "stored " + stored);
        assertTrue(set.coverageEstimate() > 0.999 && set.coverageEstimate() <= 1.0);
        BitstateSet tiny = new BitstateSet(1 << 12);
        for (int i = 0; i < 100_000; i++) {
            tiny.add(fingerprint(i), 0);
        }
        assertTrue(tiny.contains(fingerprint(-1), 0), "a saturated bit array holds everything");
        assertTrue(tiny.coverageEstimate() < 0.5, "coverage " + tiny.coverageEstimate());
    }

    @Test
    @DisplayName("Parent links keep parents and actions through pages, and action indices of 255 and more")
    void parentLinks() {
        ParentLinks links = new ParentLinks();
        for (int id = 0; id < 200_000; id++) {
            links.add(id - 1, id % 200);
        }
        links.add(5, 300);
        for (int id = 0; id < 200_000; id++) {
            assertEquals(id - 1, links.parent(id));
            assertEquals(id % 200, links.action(id));
        }
        assertEquals(300, links.action(200_000));
        assertEquals(200_001, links.size());
    }
}
