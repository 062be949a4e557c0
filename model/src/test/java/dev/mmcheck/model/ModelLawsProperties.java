package dev.mmcheck.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import dev.mmcheck.model.invariant.Catalogue;
import dev.mmcheck.model.profile.Profile;
import dev.mmcheck.model.profile.Profiles;
import dev.mmcheck.model.state.Folio;
import dev.mmcheck.model.state.FolioId;
import dev.mmcheck.model.state.GupRef;
import dev.mmcheck.model.state.MmState;
import dev.mmcheck.model.state.Process;
import dev.mmcheck.model.state.Pte;
import dev.mmcheck.model.state.SwapSlotState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Laws every rule and every era must keep, checked on random walks over the whole operation alphabet. */
class ModelLawsProperties {

    @Property(tries = 500)
    void rulesKeepEveryCountEqualToTheReferencesThatExistInEveryRelease(
            @ForAll @IntRange(min = 0, max = 54) int release, @ForAll @IntRange(min = 0, max = 17) int kind,
            @ForAll @Size(max = 12) List<@IntRange(min = 0, max = 999) Integer> choices) {
        Profile p = Profiles.ALL.get(release);
        for (MmState s : Walks.walk(p, Walks.KINDS.get(kind), choices)) {
            assertEquals(java.util.Optional.empty(), Catalogue.COUNTS_MATCH_REFERENCES.check(p, s), p.name());
        }
    }

    @Property(tries = 500)
    void theNewestReleaseKeepsEveryInvariantOnEveryWalk(@ForAll @IntRange(min = 0, max = 17) int kind,
                                                        @ForAll @Size(max = 12) List<@IntRange(min = 0, max = 999) Integer> choices) {
        for (MmState s : Walks.walk(Profiles.NEWEST, Walks.KINDS.get(kind), choices)) {
            for (var inv : Catalogue.INVARIANTS) {
                var violation = inv.check(Profiles.NEWEST, s);
                if (violation.isPresent() && inv == Catalogue.NO_LEAK_ACROSS_FORK && documentedHugetlbGetLeak(s, violation.get())) {
                    continue;
                }
                assertEquals(java.util.Optional.empty(), violation, inv.name() + " on " + s);
            }
        }
    }

    /**
     * The one leak the newest kernel documents rather than prevents: hugetlb_wp() reuses an anon hugetlb folio mapped
     * once whatever its refcount, "there can still be leaks between processes, for example, with FOLL_GET users"
     * (mm/hugetlb.c; modelled in Hugetlb.wp). A walk that takes a FOLL_GET reference on a hugetlb folio, forks, and
     * lets the other process write the folio after a COW reaches it (seed 1498120367354081702 found it: kind 15,
     * choices [510, 537, 0, 1]). Exempt only that: the culprit is a FOLL_GET (not FOLL_PIN) reference to a hugetlb
     * folio.
     */
    private static boolean documentedHugetlbGetLeak(MmState s, dev.mmcheck.model.invariant.Violation v) {
        return v.culprits().stream().anyMatch(c -> c instanceof dev.mmcheck.model.invariant.Violation.Culprit.Ref r
                && !r.ref().isPin() && !r.ref().folio().isAnyZero() && s.folio(r.ref().folio()).part().hugetlb());
    }

    @Example
    void theDocumentedHugetlbGetLeakIsReachedAndIsTheOnlyExemption() {
        List<MmState> walk = Walks.walk(Profiles.NEWEST, Walks.KINDS.get(15), List.of(510, 537, 0, 1));
        MmState last = walk.get(walk.size() - 1);
        var leak = Catalogue.NO_LEAK_ACROSS_FORK.check(Profiles.NEWEST, last);
        assertTrue(leak.isPresent(), "the FOLL_GET hugetlb leak is reached");
        assertTrue(documentedHugetlbGetLeak(last, leak.get()));
    }

    @Example
    void theTimelineCoversEveryReleaseTheLawsRangeOver() {
        assertEquals(55, Profiles.ALL.size());
        assertEquals(18, Walks.KINDS.size());
    }

    @Property(tries = 1000)
    void theEncodingIgnoresHowFoliosAndSwapSlotsAreNumbered(@ForAll @IntRange(min = 0, max = 5) int era,
                                                            @ForAll @Size(max = 10) List<@IntRange(min = 0, max = 999) Integer> choices,
                                                            @ForAll long seed) {
        List<MmState> walk = Walks.walk(Profiles.ALL.get(era), choices);
        MmState s = walk.get(walk.size() - 1);
        MmState renumbered = renumber(s, new Random(seed));
        assertArrayEquals(encode(s), encode(renumbered));
        assertArrayEquals(encode(renumbered), encode(renumber(renumbered, new Random(seed + 1))), "canonical twice");
    }

    @Property(tries = 100)
    void theEncodingTellsDifferentStatesApart(@ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 999) Integer> choices) {
        List<MmState> walk = Walks.walk(Profiles.NEWEST, choices);
        for (int i = 1; i < walk.size(); i++) {
            assertTrue(!java.util.Arrays.equals(encode(walk.get(i - 1)), encode(walk.get(i))), "a step changed nothing");
        }
    }

    static int[] encode(MmState s) {
        List<Integer> out = new ArrayList<>();
        s.encode(out::add);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The same state with its folios and swap slots moved to other slots (free slots in between). A large folio's
     * subpages move together (a tail stays right after its head).
     */
    static MmState renumber(MmState s, Random rnd) {
        // units: a small folio or a free slot is one slot, a large folio two; two extra free slots
        List<int[]> units = new ArrayList<>();
        for (int i = 0; i < s.folios().size(); i++) {
            boolean head = s.folios().get(i).part().head();
            units.add(head ? new int[] {i, i + 1} : new int[] {i});
            if (head) i++;
        }
        units.add(new int[] {-1});
        units.add(new int[] {-1});
        Collections.shuffle(units, rnd);
        int nf = s.folios().size() + 2;
        List<Integer> fperm = new ArrayList<>(Collections.nCopies(s.folios().size(), 0));
        int next = 0;
        for (int[] u : units) {
            for (int old : u) {
                if (old >= 0) fperm.set(old, next);
                next++;
            }
        }
        int ns = s.swap().size() + 1;
        List<Integer> sperm = new ArrayList<>();
        for (int i = 0; i < ns; i++) sperm.add(i);
        Collections.shuffle(sperm, rnd);
        Folio[] folios = new Folio[nf];
        java.util.Arrays.fill(folios, Folio.FREE);
        for (int i = 0; i < s.folios().size(); i++) {
            Folio f = s.folios().get(i);
            folios[fperm.get(i)] = f.swapSlot() < 0 ? f : f.withSwapSlot(sperm.get(f.swapSlot()));
        }
        SwapSlotState[] slots = new SwapSlotState[ns];
        java.util.Arrays.fill(slots, SwapSlotState.FREE);
        for (int i = 0; i < s.swap().size(); i++) {
            SwapSlotState st = s.swap().get(i);
            slots[sperm.get(i)] = st.cache() < 0 ? st : st.withCache(fperm.get(st.cache()));
        }
        List<Process> procs = new ArrayList<>();
        for (Process p : s.processes()) {
            List<Pte> ptes = new ArrayList<>();
            for (Pte pte : p.ptes()) {
                ptes.add(switch (pte) {
                    case Pte.Present pr -> new Pte.Present(map(pr.folio(), fperm), pr.write(), pr.dirty(), pr.softDirty(), pr.special(), pr.zeroRef(), pr.uffdWp());
                    case Pte.Swap sw -> new Pte.Swap(new dev.mmcheck.model.state.SwapSlot(sperm.get(sw.slot().index())), sw.exclusive(), sw.softDirty(), sw.uffdWp());
                    case Pte.None n -> n;
                    case Pte.Migration m -> new Pte.Migration(map(m.page(), fperm), m.kind(), m.softDirty(), m.uffdWp());
                    case Pte.UffdMarker m -> m;
                    case Pte.DevicePrivate d -> new Pte.DevicePrivate(map(d.page(), fperm), d.write());
                    case Pte.DeviceExclusive d -> new Pte.DeviceExclusive(map(d.page(), fperm), d.write());
                    case Pte.Hwpoison h -> new Pte.Hwpoison(map(h.page(), fperm));
                });
            }
            List<dev.mmcheck.model.state.Pmd> pmds = new ArrayList<>();
            for (dev.mmcheck.model.state.Pmd pmd : p.pmds()) {
                pmds.add(switch (pmd) {
                    case dev.mmcheck.model.state.Pmd.None n -> n;
                    case dev.mmcheck.model.state.Pmd.Huge h -> new dev.mmcheck.model.state.Pmd.Huge(map(h.folio(), fperm), h.write(), h.dirty(), h.softDirty(), h.uffdWp());
                    case dev.mmcheck.model.state.Pmd.Migration m -> new dev.mmcheck.model.state.Pmd.Migration(map(m.folio(), fperm), m.kind(), m.softDirty(), m.uffdWp());
                });
            }
            procs.add(p.withPtes(ImmutableList.copyOf(ptes)).withPmds(ImmutableList.copyOf(pmds)));
        }
        List<GupRef> refs = new ArrayList<>();
        for (GupRef r : s.refs()) {
            refs.add(new GupRef(r.owner(), r.addr(), r.flags(), map(r.folio(), fperm), r.detached(), r.label()));
        }
        Collections.sort(refs);
        return new MmState(ImmutableList.copyOf(procs), ImmutableList.copyOf(folios), ImmutableList.copyOf(slots), ImmutableList.copyOf(refs),
                s.zeropage(), s.written());
    }

    private static FolioId map(FolioId f, List<Integer> perm) {
        return f.isAnyZero() ? f : new FolioId(perm.get(f.index()));
    }
}
