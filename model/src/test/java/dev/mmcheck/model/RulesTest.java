package dev.mmcheck.model;

import static dev.mmcheck.model.Walks.A;
import static dev.mmcheck.model.Walks.P0;
import static dev.mmcheck.model.Walks.P1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmcheck.model.op.Op;
import dev.mmcheck.model.profile.Profile;
import dev.mmcheck.model.profile.Profiles;
import dev.mmcheck.model.rules.Rules;
import dev.mmcheck.model.rules.Step;
import dev.mmcheck.model.state.Folio;
import dev.mmcheck.model.state.FolioFlag;
import dev.mmcheck.model.state.FolioId;
import dev.mmcheck.model.state.GupFlag;
import dev.mmcheck.model.state.MmState;
import dev.mmcheck.model.state.Pte;
import dev.mmcheck.model.state.VmaKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One kernel behaviour per test, as the cited source describes it. */
class RulesTest {
    private static final int PIN_RO_LONGTERM = GupFlag.PIN.bit() | GupFlag.LONGTERM.bit();
    private static final int PIN_RW_LONGTERM = PIN_RO_LONGTERM | GupFlag.WRITE.bit();
    private static final FolioId F0 = new FolioId(0);
    private static final FolioId F1 = new FolioId(1);

    private static MmState written(Profile p) {
        return Walks.run(p, MmState.initial(2, 1), new Op.Mmap(P0, A, VmaKind.ANON_PRIVATE, true), new Op.Write(P0, A, 1));
    }

    @Test
    void aReadFaultOnAnonymousMemoryMapsTheZeropageSpecialAndReadOnly() {
        MmState s = Walks.run(Profiles.NEWEST, MmState.initial(1, 1), new Op.Mmap(P0, A, VmaKind.ANON_PRIVATE, true), new Op.Read(P0, A));
        assertEquals(new Pte.Present(FolioId.ZERO, false, false, false, true), s.process(P0).pte(A));
        assertEquals(List.of(), s.folios());
    }

    @Test
    void aWriteFaultMapsANewExclusivePageFromV519AndAPlainOneBefore() {
        assertEquals(Folio.newAnon(new dev.mmcheck.model.state.Data(1, 0, 0)).withRefcount(1).withMapcount(1).with(FolioFlag.ANON_EXCLUSIVE),
                written(Profiles.V5_19).folio(F0));
        assertFalse(written(Profiles.V5_18).folio(F0).has(FolioFlag.ANON_EXCLUSIVE));
    }

    @Test
    void forkFromV59CopiesAMaybePinnedPageForTheChildAndTheParentKeepsItWritable() {
        for (Profile p : List.of(Profiles.V5_9, Profiles.V5_19, Profiles.V7_0)) {
            MmState s = Walks.run(p, written(p), new Op.Gup(P0, A, PIN_RW_LONGTERM, 0, ""), new Op.Fork(P0, P1));
            assertEquals(new Pte.Present(F0, true, true, true, false), s.process(P0).pte(A), p.name());
            assertEquals(new Pte.Present(F1, true, true, true, false), s.process(P1).pte(A), p.name());
            assertEquals(1 + Folio.GUP_PIN_COUNTING_BIAS, s.folio(F0).refcount());
        }
    }

    @Test
    void forkBeforeV59SharesAPinnedPageReadOnly() {
        MmState s = Walks.run(Profiles.V5_8, written(Profiles.V5_8), new Op.Gup(P0, A, PIN_RW_LONGTERM, 0, ""), new Op.Fork(P0, P1));
        assertEquals(new Pte.Present(F0, false, true, true, false), s.process(P0).pte(A));
        assertEquals(s.process(P0).pte(A), s.process(P1).pte(A));
        assertEquals(2 + Folio.GUP_PIN_COUNTING_BIAS, s.folio(F0).refcount());
    }

    @Test
    void forkOfAnUnpinnedExclusivePageClearsExclusiveAndWriteProtectsBoth() {
        MmState s = Walks.run(Profiles.V7_0, written(Profiles.V7_0), new Op.Fork(P0, P1));
        assertFalse(s.folio(F0).has(FolioFlag.ANON_EXCLUSIVE));
        assertEquals(2, s.folio(F0).mapcount());
        assertFalse(((Pte.Present) s.process(P0).pte(A)).write());
    }

    @Test
    void fromV511ReclaimKeepsAPinnedAnonPageOutOfTheSwapcache() {
        for (Profile p : List.of(Profiles.named("v5.11").orElseThrow(), Profiles.V5_19, Profiles.NEWEST)) {
            MmState pinned = Walks.run(p, written(p), new Op.Gup(P0, A, PIN_RO_LONGTERM, 0, ""));
            Step r = Rules.apply(pinned, p, new Op.Reclaim(P0, A));
            assertEquals(Step.Outcome.FAILED, r.outcome(), p.name());
            assertEquals(pinned, r.after(), p.name());
            assertTrue(r.path().contains("folio_maybe_dma_pinned and not in the swapcache: keep it (feb889fb40fa)"), r.path().toString());
        }
        MmState v510 = Walks.run(Profiles.named("v5.10").orElseThrow(), written(Profiles.named("v5.10").orElseThrow()),
                new Op.Gup(P0, A, PIN_RO_LONGTERM, 0, ""), new Op.Reclaim(P0, A));
        assertTrue(v510.process(P0).pte(A) instanceof Pte.Swap, "v5.10 swaps the pinned page out");
    }

    @Test
    void fromV519ReclaimLeavesAPinnedExclusivePageInTheSwapcacheMapped() {
        // swapped out and back in: the page is in the swapcache (and exclusive) when it is pinned
        MmState s = Walks.run(Profiles.V5_19, written(Profiles.V5_19), new Op.Reclaim(P0, A), new Op.Read(P0, A),
                new Op.Gup(P0, A, PIN_RO_LONGTERM, 0, ""), new Op.Reclaim(P0, A));
        assertTrue(s.process(P0).pte(A) instanceof Pte.Present pr && !pr.write(), s.process(P0).pte(A).toString());
        FolioId f = ((Pte.Present) s.process(P0).pte(A)).folio();
        assertTrue(s.folio(f).has(FolioFlag.ANON_EXCLUSIVE));
        assertTrue(s.folio(f).has(FolioFlag.SWAPCACHE));
        MmState v518 = Walks.run(Profiles.V5_18, written(Profiles.V5_18), new Op.Reclaim(P0, A), new Op.Read(P0, A),
                new Op.Gup(P0, A, PIN_RO_LONGTERM, 0, ""), new Op.Reclaim(P0, A));
        assertTrue(v518.process(P0).pte(A) instanceof Pte.Swap, "v5.18 unmaps a pinned page already in the swapcache");
    }

    @Test
    void reclaimOfAnUnreferencedExclusivePageFreesItIntoAnExclusiveSwapEntry() {
        MmState s = Walks.run(Profiles.V7_0, written(Profiles.V7_0), new Op.Reclaim(P0, A));
        assertTrue(s.process(P0).pte(A) instanceof Pte.Swap sw && sw.exclusive());
        assertEquals(List.of(), s.folios());
        assertEquals(1, s.swap().get(0).data().value());
    }

    @Test
    void onV70AReadFaultMapsAnExclusiveSwapEntryWritableUnlessSoftDirtyTrackingWantsAFault() {
        MmState out = Walks.run(Profiles.V7_0, written(Profiles.V7_0), new Op.Reclaim(P0, A));
        MmState in = Walks.run(Profiles.V7_0, out, new Op.Read(P0, A));
        assertTrue(((Pte.Present) in.process(P0).pte(A)).write());
        MmState tracked = Walks.run(Profiles.V7_0, out, new Op.ClearSoftDirty(P0), new Op.Read(P0, A));
        assertFalse(((Pte.Present) tracked.process(P0).pte(A)).write());
        MmState v519 = Walks.run(Profiles.V5_19, Walks.run(Profiles.V5_19, written(Profiles.V5_19), new Op.Reclaim(P0, A)), new Op.Read(P0, A));
        assertFalse(((Pte.Present) v519.process(P0).pte(A)).write());
        assertTrue(v519.folio(F0).has(FolioFlag.ANON_EXCLUSIVE));
    }

    @Test
    void ksmRefusesToMergeAPageThatHasAGupReferenceAndBreaksCowOnTheOtherAgain() {
        Profile p = Profiles.V7_0;
        MmState s = Walks.run(p, written(p), new Op.Madvise(P0, A, Op.Advice.MERGEABLE), new Op.Fork(P0, P1),
                new Op.Write(P1, A, 1), new Op.Gup(P1, A, 0, 0, ""));
        Step merge = Rules.apply(s, p, new Op.KsmMerge(P0, A, P1, A));
        assertTrue(merge.path().contains("write_protect_page P1 A: mapcount + swapcache != refcount, refuse"), merge.path().toString());
        assertTrue(merge.path().contains("break_cow(P0 A)"), merge.path().toString());
        MmState after = merge.after();
        assertTrue(after.folios().stream().noneMatch(f -> f.has(FolioFlag.KSM)));
        assertEquals(s.process(P1).pte(A), after.process(P1).pte(A));
    }

    @Test
    void fromV519AReadOnlyPinOfAKsmPageUnsharesItAndPinsAFreshExclusiveCopy() {
        Profile p = Profiles.V5_19;
        MmState s = Walks.run(p, written(p), new Op.Madvise(P0, A, Op.Advice.MERGEABLE), new Op.Fork(P0, P1),
                new Op.Write(P1, A, 1), new Op.KsmMerge(P0, A, P1, A), new Op.Gup(P0, A, PIN_RO_LONGTERM, 0, ""));
        FolioId pinned = s.refs().get(0).folio();
        assertFalse(s.folio(pinned).has(FolioFlag.KSM));
        assertTrue(s.folio(pinned).has(FolioFlag.ANON_EXCLUSIVE));
        // wp_page_copy() for FAULT_FLAG_UNSHARE maps the copy R/O and keeps the old PTE's soft-dirty bit
        assertEquals(new Pte.Present(pinned, false, false, true, false), s.process(P0).pte(A));
    }

    @Test
    void v58BreaksCowEvenForAReadOnlyGupInACowMapping() {
        Profile p = Profiles.V5_8;
        MmState s = Walks.run(p, written(p), new Op.Fork(P0, P1), new Op.Gup(P1, A, 0, 0, ""));
        assertEquals(F1, s.refs().get(0).folio());
        assertEquals(new Pte.Present(F1, true, true, true, false), s.process(P1).pte(A));
    }

    @Test
    void exitReleasesTheProcesssReferencesAndFreesWhatOnlyItUsed() {
        Profile p = Profiles.V7_0;
        MmState s = Walks.run(p, written(p), new Op.Fork(P0, P1), new Op.Write(P1, A, 2), new Op.Gup(P1, A, PIN_RO_LONGTERM, 0, ""),
                new Op.Exit(P1));
        assertFalse(s.process(P1).alive());
        assertEquals(List.of(), s.refs());
        assertEquals(1, s.folios().size());
    }
}
