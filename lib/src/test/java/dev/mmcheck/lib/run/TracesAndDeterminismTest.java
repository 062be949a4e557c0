package dev.mmcheck.lib.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Exact minimal traces in kernel terms, teeth for each invariant, and results independent of thread count. */
class TracesAndDeterminismTest {

    private static List<String> lines(Trace t) {
        return t.steps().stream().flatMap(s -> java.util.stream.Stream.concat(
                java.util.stream.Stream.of(s.call(), "  " + String.join(" -> ", s.path())),
                s.changes().stream().map(c -> "  " + c))).toList();
    }

    private static PropertyReport property(CheckReport r, String name) {
        return r.properties().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void cve202029374OnV57IsTheVmspliceThenMunmapThenParentWriteTrace() throws Exception {
        CheckReport r = Signatures.run("specs/cow/cve-2020-29374-vmsplice-child.mmc", "v5.7", 1);
        PropertyReport leak = property(r, "no-leak-across-fork");
        assertEquals(List.of(
                "P1 get_user_pages(A) as pipe",
                "  __get_user_pages -> try_grab_page(FOLL_GET) on folio#0",
                "  folio#0 ref 2->3",
                "  + pipe: P1 A FOLL_GET on folio#0",
                "P1 munmap(A)",
                "  zap_pte_range: unmap folio#0",
                "  P1 A vma: private-anon rw anon_vma -> unmapped",
                "  P1 A pte: folio#0 RO dirty soft-dirty -> none",
                "  folio#0 ref 3->2, map 2->1",
                "  pipe: P1 A FOLL_GET on folio#0 no longer mapped by its owner",
                "P0 *A = 0xff",
                "  handle_mm_fault(FAULT_FLAG_WRITE) -> do_wp_page -> reuse_swap_page: mapcount + swapcount = 1 -> wp_page_reuse -> store 0xff into folio#0",
                "  P0 A pte: folio#0 RO dirty soft-dirty -> folio#0 RW dirty soft-dirty",
                "  folio#0 data 0x01 (stored by P0) -> 0xff (stored by P0)"), lines(leak.trace().orElseThrow()));
        assertEquals("P1 reads 0xff (stored by P0) through its FOLL_GET reference to folio#0 (taken at A), stored after they separated",
                leak.detail());
    }

    @Test
    void forkWithAPinOnV58CopiesThePinnedPageAwayFromTheParent() throws Exception {
        CheckReport r = Signatures.run("specs/gup/fork-longterm-rw-pin.mmc", "v5.8", 1);
        PropertyReport pin = property(r, "pin-coherent");
        assertEquals(List.of(
                "P0 *A = 0xff",
                "  handle_mm_fault(FAULT_FLAG_WRITE) -> do_wp_page -> reuse_swap_page: mapcount + swapcount = 2 -> wp_page_copy -> store 0xff into folio#1",
                "  P0 A pte: folio#0 RO dirty soft-dirty -> folio#1 RW dirty soft-dirty",
                "  folio#0 ref 1026->1025, map 2->1",
                "  folio#1 new: anon ref 1 map 1 data 0xff (stored by P0)"), lines(pin.trace().orElseThrow()));
        assertEquals("P0 pinned folio#0 at A (FOLL_PIN|FOLL_WRITE|FOLL_LONGTERM) but P0 A now maps folio#1", pin.detail());
    }

    @Test
    void everyInvariantHasTeethARevertedFixViolatesItAndTheReleaseDoesNot() throws Exception {
        String[][] pairs = {
                {"specs/teeth/pinned-anon-exclusive-reclaim", "pinned-anon-is-exclusive"},
                {"specs/teeth/writable-anon-exclusive-mprotect", "writable-anon-is-exclusive"},
                {"specs/teeth/ksm-never-exclusive", "ksm-never-exclusive"},
                {"specs/teeth/zeropage-never-writable", "zeropage-never-writable"},
        };
        for (String[] pair : pairs) {
            CheckReport fixed = Signatures.run(pair[0] + ".mmc", "v7.0", 1);
            CheckReport reverted = Signatures.run(pair[0] + "-reverted.mmc", "v7.0", 1);
            assertEquals(Verdict.NO_VIOLATION_WITHIN_BOUNDS, property(fixed, pair[1]).verdict(), pair[0]);
            assertEquals(Verdict.VIOLATED, property(reverted, pair[1]).verdict(), pair[0] + "-reverted");
        }
    }

    @Test
    void teethSpecsGiveExactCounts() throws Exception {
        assertEquals("5 states, 4 transitions: pinned-anon-is-exclusive NO_VIOLATION_WITHIN_BOUNDS; pin-coherent NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS",
                Signatures.of(Signatures.run("specs/teeth/pinned-anon-exclusive-reclaim.mmc", "v7.0", 1)));
        assertEquals("3 states, 2 transitions: ksm-never-exclusive VIOLATED(1); writable-anon-is-exclusive NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS",
                Signatures.of(Signatures.run("specs/teeth/ksm-never-exclusive-reverted.mmc", "v7.0", 1)));
    }

    @Test
    void explorationOfAllOperationsOnTheNewestProfileHasNoViolationAndReachesEveryWitness() throws Exception {
        // 214,595 states before feb889fb40fa (v5.11) was modelled: reclaim now keeps a maybe-pinned anon page out of
        // the swapcache instead of adding it and having try_to_unmap_one() refuse it (issue 8's fidelity fix).
        // 190,910 states, 666,233 transitions and 158,937 at the bound before ksm-merge was offered in both orders of each pair of pages
        // (either page can be the one ksmd scans second and makes the KSM page: Ksm.merge).
        CheckReport r = Signatures.run("specs/explore/anon-all-ops-1page.mmc", "v7.0", 2);
        assertEquals("196458 states, 684806 transitions: pinned-anon-is-exclusive NO_VIOLATION_WITHIN_BOUNDS; "
                + "writable-anon-is-exclusive NO_VIOLATION_WITHIN_BOUNDS; pin-coherent NO_VIOLATION_WITHIN_BOUNDS; "
                + "no-leak-across-fork NO_VIOLATION_WITHIN_BOUNDS; counts-match-references NO_VIOLATION_WITHIN_BOUNDS; "
                + "ksm-never-exclusive NO_VIOLATION_WITHIN_BOUNDS; zeropage-never-writable NO_VIOLATION_WITHIN_BOUNDS; "
                + "vm-normal-page-not-zeropage NO_VIOLATION_WITHIN_BOUNDS; zeropage-pte-special NO_VIOLATION_WITHIN_BOUNDS; "
                + "no-folio-for-raw-pfn NO_VIOLATION_WITHIN_BOUNDS; walkers-agree NO_VIOLATION_WITHIN_BOUNDS; "
                + "gup-fast-never-special NO_VIOLATION_WITHIN_BOUNDS; migration-entry-exclusive NO_VIOLATION_WITHIN_BOUNDS; "
                + "uffd-wp-store-trapped NO_VIOLATION_WITHIN_BOUNDS; uffd-wp-never-writable NO_VIOLATION_WITHIN_BOUNDS; "
                + "uffd-marker-needs-wp-vma NO_VIOLATION_WITHIN_BOUNDS; force-write-never-to-file-or-zeropage NO_VIOLATION_WITHIN_BOUNDS; "
                + "device-coherent NO_VIOLATION_WITHIN_BOUNDS; "
                + "reached-pinned REACHED(1); reached-gup-get REACHED(1); reached-swapped REACHED(2); "
                + "reached-ksm-merged REACHED(4); reached-fork-shared REACHED(2); reached-pinned-and-fork-shared REACHED(3)",
                Signatures.of(r));
        assertEquals(163844, r.statesCutByDepthBound());
    }

    @Test
    void theSameSpecGivesTheSameCountsAndTracesWithOneOrTwoThreads() throws Exception {
        for (String profile : List.of("v5.9", "v7.0")) {
            CheckReport one = Signatures.run("specs/explore/anon-all-ops-2pages.mmc", profile, 1);
            CheckReport two = Signatures.run("specs/explore/anon-all-ops-2pages.mmc", profile, 2);
            assertEquals(Signatures.of(one), Signatures.of(two));
            for (int i = 0; i < one.properties().size(); i++) {
                assertEquals(one.properties().get(i).trace().map(TracesAndDeterminismTest::lines),
                        two.properties().get(i).trace().map(TracesAndDeterminismTest::lines));
            }
        }
    }
}
