package dev.mmcheck.model.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every one-word layout of the state encoding read back by its reader, over every value of its fields; and the first
 * words of different PTE kinds never equal (the encoding would not be injective).
 */
class StateWordsTest {
    private static final FolioId PAGE = new FolioId(3);

    private static boolean bit(int mask, int i) {
        return (mask & (1 << i)) != 0;
    }

    @Test
    void vmas() {
        int n = 0;
        for (VmaKind kind : VmaKind.values()) {
            for (int bits = 0; bits < 1 << 8; bits++) {
                for (int uffd = 0; uffd < 8; uffd++) {
                    Vma v = new Vma(kind, bit(bits, 0), bit(bits, 1), bit(bits, 2), bit(bits, 3), bit(bits, 4), bit(bits, 5),
                            bit(bits, 6), bit(bits, 7), uffd);
                    assertEquals(v, StateWords.vma(StateWords.vma(v)));
                    n++;
                }
            }
        }
        assertEquals(VmaKind.values().length * 256 * 8, n);
        assertTrue(VmaKind.values().length <= 32, "a VMA kind fits in five bits");
    }

    @Test
    void ptesOfEveryKindAndTheirKindsApart() {
        Set<Integer> present = new HashSet<>();
        for (int bits = 0; bits < 1 << 6; bits++) {
            Pte.Present p = new Pte.Present(PAGE, bit(bits, 0), bit(bits, 1), bit(bits, 2), bit(bits, 3), bit(bits, 4), bit(bits, 5));
            int w = StateWords.present(p);
            assertEquals(1, StateWords.pteKind(w));
            assertEquals(p, StateWords.present(w, PAGE));
            present.add(w);
        }
        Set<Integer> others = new HashSet<>();
        SwapSlot slot = new SwapSlot(2);
        for (int bits = 0; bits < 1 << 3; bits++) {
            Pte.Swap s = new Pte.Swap(slot, bit(bits, 0), bit(bits, 1), bit(bits, 2));
            int w = StateWords.swap(s);
            assertEquals(2, StateWords.pteKind(w));
            assertEquals(s, StateWords.swap(w, slot));
            others.add(w);
        }
        assertTrue(Pte.MigrationKind.values().length <= 4, "a migration kind fits in two bits");
        for (Pte.MigrationKind kind : Pte.MigrationKind.values()) {
            for (int bits = 0; bits < 1 << 2; bits++) {
                Pte.Migration m = new Pte.Migration(PAGE, kind, bit(bits, 0), bit(bits, 1));
                int w = StateWords.migration(m);
                assertEquals(3, StateWords.pteKind(w));
                assertEquals(m, StateWords.migration(w, PAGE));
                others.add(w);
            }
        }
        for (boolean write : new boolean[] {false, true}) {
            Pte.DevicePrivate d = new Pte.DevicePrivate(PAGE, write);
            Pte.DeviceExclusive e = new Pte.DeviceExclusive(PAGE, write);
            assertEquals(4, StateWords.pteKind(StateWords.devicePrivate(d)));
            assertEquals(4, StateWords.pteKind(StateWords.deviceExclusive(e)));
            assertEquals(d, StateWords.device(StateWords.devicePrivate(d), PAGE));
            assertEquals(e, StateWords.device(StateWords.deviceExclusive(e), PAGE));
            others.add(StateWords.devicePrivate(d));
            others.add(StateWords.deviceExclusive(e));
        }
        assertEquals(new Pte.Hwpoison(PAGE), StateWords.device(StateWords.PTE_HWPOISON, PAGE));
        others.add(StateWords.PTE_HWPOISON);
        assertEquals(7, StateWords.pteKind(StateWords.PTE_MARKER));
        others.add(StateWords.PTE_MARKER);
        others.add(StateWords.PTE_NONE);
        // 8 swap + 4 kinds x 4 migration + 4 device + hwpoison + marker + none, all different, and none a present PTE's
        assertEquals(8 + 4 * Pte.MigrationKind.values().length + 4 + 3, others.size());
        for (int w : others) assertTrue(!present.contains(w), "a first word shared with a present PTE: " + w);
    }

    @Test
    void pmds() {
        for (int bits = 0; bits < 1 << 4; bits++) {
            Pmd.Huge h = new Pmd.Huge(PAGE, bit(bits, 0), bit(bits, 1), bit(bits, 2), bit(bits, 3));
            assertEquals(1, StateWords.pmdKind(StateWords.hugePmd(h)));
            assertEquals(h, StateWords.hugePmd(StateWords.hugePmd(h), PAGE));
        }
        for (Pte.MigrationKind kind : Pte.MigrationKind.values()) {
            for (int bits = 0; bits < 1 << 2; bits++) {
                Pmd.Migration m = new Pmd.Migration(PAGE, kind, bit(bits, 0), bit(bits, 1));
                assertEquals(2, StateWords.pmdKind(StateWords.migrationPmd(m)));
                assertEquals(m, StateWords.migrationPmd(StateWords.migrationPmd(m), PAGE));
            }
        }
    }

    @Test
    void referenceHeads() {
        assertTrue(GupFlag.values().length <= 8, "the GUP flags fit in eight bits");
        for (int owner = 0; owner < MmState.MAX_PROCESSES; owner++) {
            for (int addr = 0; addr < MmState.MAX_PAGES; addr++) {
                for (int flags = 0; flags < 256; flags++) {
                    for (boolean detached : new boolean[] {false, true}) {
                        GupRef r = new GupRef(new Pid(owner), new Vaddr(addr), flags, PAGE, detached, 5);
                        assertEquals(r, StateWords.ref(StateWords.refHead(owner, addr, r), PAGE, 5));
                    }
                }
            }
        }
    }
}
