package dev.mmcheck.lib.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmcheck.lib.Repo;
import dev.mmcheck.lib.spec.Spec;
import dev.mmcheck.lib.spec.SpecParser;
import dev.mmcheck.model.invariant.Catalogue;
import dev.mmcheck.model.invariant.Invariant;
import dev.mmcheck.model.op.Op;
import dev.mmcheck.model.profile.Profile;
import dev.mmcheck.model.profile.Profiles;
import dev.mmcheck.model.scenario.Exploration;
import dev.mmcheck.model.state.MmState;
import dev.mmcheck.model.state.Pid;
import dev.mmcheck.model.state.Vaddr;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Symmetry reduction over processes (--symmetry): sound where it applies, and the same verdicts and shortest traces
 * as without it on every bundled exploration.
 */
class SymmetryTest {
    /**
     * The condition that makes the reduction sound, checked state by state: the successors of a renamed state are
     * the renamed successors (compared up to renaming), every invariant and witness has the same value on both, and
     * each process keeps its signature (which orders the renamings the canonical encoding tries); the same for the
     * renamings of the pages where they are interchangeable (anon-all-ops-2pages).
     * Over the first states of every bundled exploration with interchangeable processes, breadth-first and along
     * seeded random walks.
     */
    @Test
    void renamedStatesHaveRenamedSuccessorsAndTheSameProperties() throws Exception {
        int checked = 0;
        int pageChecked = 0;
        int specs = 0;
        for (Path file : Explorations.bundled()) {
            Spec spec = SpecParser.parse(file);
            if (spec.processes() < 2 || Exploration.symmetryRefusal(spec.alphabet()).isPresent()) continue;
            specs++;
            Profile profile = Runner.profileFor(spec, Profiles.named(spec.profile()).orElseThrow());
            MmState init = Runner.initialState(spec, profile);
            Exploration x = new Exploration(profile, init, spec.alphabet(), true);
            List<Invariant> invariants = spec.checks().stream().map(n -> Catalogue.invariant(n).orElseThrow())
                    .filter(i -> i.appliesTo().test(profile)).toList();
            // the first 300 classes breadth-first, and deeper along seeded random walks
            List<MmState> sample = Explorations.sample(x, 13);
            int n = init.processes().size();
            for (MmState s : sample) {
                Set<List<Integer>> expected = keys(x, Explorations.successors(x, s));
                assertEquals(s, decoded(x, s), spec.name() + ": the state decoded from its canonical encoding and detail");
                for (int[] to : renamings(n)) {
                    MmState r = s.permuted(to);
                    assertEquals(encoding(r, null, null), encoding(s, to, null), spec.name() + ": " + s + " encoded renamed by "
                            + Arrays.toString(to));
                    assertEquals(Explorations.key(x, s), Explorations.key(x, r), spec.name() + ": a renamed state is the same state");
                    for (int p = 0; p < n; p++) {
                        // what the canonical encoding relies on: a process's signature goes with it under renaming
                        assertEquals(s.processSignature(p), r.processSignature(to[p]), spec.name() + ": signature of P" + p);
                    }
                    for (int a = 0; a < s.pageCount(); a++) {
                        assertEquals(s.pageSignature(a), r.pageSignature(a), spec.name() + ": signature of page " + a);
                    }
                    assertSameFuture(spec, x, profile, invariants, s, expected, r, "renamed by " + Arrays.toString(to));
                    checked++;
                }
                if (!x.pageSymmetric()) continue;
                for (int[] to : renamings(s.pageCount())) {
                    MmState r = s.pagesPermuted(to);
                    assertEquals(s, r.pagesPermuted(to), spec.name() + ": a transposition of pages twice is no renaming");
                    assertEquals(encoding(r, null, null), encoding(s, null, to), spec.name() + ": " + s
                            + " encoded with pages renamed by " + Arrays.toString(to));
                    int[] rotate = new int[n];
                    for (int i = 0; i < n; i++) rotate[i] = (i + 1) % n;
                    assertEquals(encoding(s.permuted(rotate).pagesPermuted(to), null, null), encoding(s, rotate, to),
                            spec.name() + ": " + s + " encoded with processes rotated and pages renamed by " + Arrays.toString(to));
                    assertEquals(Explorations.key(x, s), Explorations.key(x, r), spec.name() + ": a state with its pages renamed is the same state");
                    for (int a = 0; a < s.pageCount(); a++) {
                        assertEquals(s.pageSignature(a), r.pageSignature(to[a]), spec.name() + ": signature of page " + a);
                    }
                    assertSameFuture(spec, x, profile, invariants, s, expected, r, "with pages renamed by " + Arrays.toString(to));
                    pageChecked++;
                }
            }
        }
        assertTrue(specs >= 8, "explorations with interchangeable processes: " + specs);
        assertTrue(checked > 5_000, "renamed states checked: " + checked);
        assertTrue(pageChecked > 300, "states with renamed pages checked: " + pageChecked);
    }

    /**
     * {@code r}, a renaming of {@code s} (described by {@code how}), has the renamed successors ({@code expected}: the
     * canonical keys of s's) and the same value of every invariant and witness.
     */
    private static void assertSameFuture(Spec spec, Exploration x, Profile profile, List<Invariant> invariants, MmState s,
                                         Set<List<Integer>> expected, MmState r, String how) {
        assertEquals(expected, keys(x, Explorations.successors(x, r)), spec.name() + ": successors of " + s + " " + how);
        for (Invariant inv : invariants) {
            assertEquals(inv.holds(profile, s), inv.holds(profile, r), spec.name() + ": " + inv.name() + ", " + how);
        }
        for (String w : spec.witnesses()) {
            var reached = Catalogue.witness(w).orElseThrow().reached();
            assertEquals(reached.test(s), reached.test(r), spec.name() + ": " + w + ", " + how);
        }
    }

    /** The encoding and then the detail {@link MmState#encode(java.util.function.IntConsumer, java.util.function.IntConsumer, int[], int[])} writes. */
    private static List<List<Integer>> encoding(MmState s, int[] procTo, int[] pageTo) {
        List<Integer> out = new ArrayList<>();
        List<Integer> detail = new ArrayList<>();
        s.encode(out::add, detail::add, procTo, pageTo);
        return List.of(out, detail);
    }

    /** What the exploration decodes from the canonical encoding and detail it writes for {@code s}. */
    private static MmState decoded(Exploration x, MmState s) {
        List<Integer> all = new ArrayList<>();
        x.encode(s, all::add, all::add);
        int[] words = all.stream().mapToInt(Integer::intValue).toArray();
        return x.decode(words, 0, words.length);
    }

    private static Set<List<Integer>> keys(Exploration x, List<MmState> states) {
        Set<List<Integer>> out = new HashSet<>();
        for (MmState s : states) out.add(Explorations.key(x, s));
        return out;
    }

    private static List<int[]> renamings(int n) {
        List<int[]> out = new ArrayList<>();
        for (int a = 0; a < n; a++) {
            for (int b = a + 1; b < n; b++) {
                int[] to = new int[n];
                for (int i = 0; i < n; i++) to[i] = i;
                to[a] = b;
                to[b] = a;
                out.add(to);
            }
        }
        return out;
    }

    /** Distinct states without and with the reduction, per reduced exploration (its own profile, one thread). */
    private static final java.util.Map<String, List<Long>> STATES = java.util.Map.of(
            "explore/anon-all-ops-1page", List.of(196_458L, 151_807L),
            "explore/anon-all-ops-2pages", List.of(356_842L, 140_476L),
            "explore/anon-ksm-zero-1page", List.of(44_820L, 33_622L),
            "explore/dax-2pages", List.of(97_213L, 71_733L),
            "explore/hugetlb-device-2procs", List.of(16_067L, 12_306L),
            "explore/mixedmap-2pages", List.of(136_987L, 101_233L),
            "explore/pfnmap-2pages", List.of(10_742L, 8_546L),
            "explore/thp-2procs", List.of(61_329L, 50_273L),
            "explore/uffd-2procs", List.of(29_775L, 22_955L),
            "explore/uffd-thp", List.of(7_736L, 5_999L));

    /**
     * On every bundled exploration the reduction applies to, the same verdict for every property with symmetry on and
     * off, every trace of the same length (the shortest), and the pinned state counts; on the one-process explorations
     * (nothing to rename) the same states and transitions. Where it is refused (an operation in flight names another
     * process's slot) the run is the one without it: the same Exploration object, so nothing to compare.
     */
    @Test
    void sameVerdictsAndShortestTracesOnEveryBundledExploration() throws Exception {
        int reduced = 0;
        for (Path file : Explorations.bundled()) {
            Spec spec = SpecParser.parse(file);
            if (spec.processes() > 1 && Exploration.symmetryRefusal(spec.alphabet()).isPresent()) {
                // refused: the run is the one without --symmetry (the same Exploration), checked elsewhere
                continue;
            }
            Profile base = Profiles.named(spec.profile()).orElseThrow();
            CheckReport off = new Runner(RunSettings.defaults()).check(spec, base);
            CheckReport on = new Runner(RunSettings.defaults().withSymmetry(true)).check(spec, base);
            assertEquals(Explorations.verdicts(off), Explorations.verdicts(on), spec.name());
            boolean applies = spec.processes() > 1 && Exploration.symmetryRefusal(spec.alphabet()).isEmpty();
            if (applies) {
                assertEquals(STATES.get(spec.name()), List.of(off.states(), on.states()), spec.name() + ": states off, on");
                boolean pages = spec.name().equals("explore/anon-all-ops-2pages"); // the one with interchangeable pages
                assertTrue(on.bounds().endsWith(pages ? ", states counted up to a renaming of processes and pages"
                        : ", states counted up to a renaming of processes"), on.bounds());
                reduced++;
            } else {
                assertEquals(off.states(), on.states(), spec.name());
                assertEquals(off.transitions(), on.transitions(), spec.name());
            }
            // the trace replays in the original numbering: every step names a process that exists in the spec
            on.properties().forEach(p -> p.trace().ifPresent(t -> t.steps().forEach(
                    st -> assertTrue(st.process() < spec.processes(), spec.name() + ": " + st))));
        }
        assertEquals(STATES.size(), reduced, "explorations reduced");
    }

    /**
     * Random explorations (seeded): a random release (with and without the historical COW/GUP fixes), 2 or 3
     * processes, 1 or 2 pages, a random part of the anonymous-memory alphabet and depth. With --symmetry, the same
     * verdicts and the same shortest counterexample lengths, never more states; and the set has teeth: some of them
     * violate an invariant (so trace lengths are compared) and some are reduced over pages.
     */
    @Test
    void sameVerdictsAndShortestTracesOnRandomExplorations() throws Exception {
        Random random = new Random(2026);
        int violating = 0;
        int pagesReduced = 0;
        for (int n = 0; n < 14; n++) {
            String text = Explorations.random(random, n, "SymmetryTest");
            Spec spec = SpecParser.parse("random-" + n + ".mmc", text);
            Profile base = Profiles.named(spec.profile()).orElseThrow();
            CheckReport off = new Runner(RunSettings.defaults()).check(spec, base);
            CheckReport on = new Runner(RunSettings.defaults().withSymmetry(true)).check(spec, base);
            assertEquals(Explorations.verdicts(off), Explorations.verdicts(on), text);
            assertTrue(on.states() < off.states(), text + "\n" + on.states() + " classes, " + off.states() + " states");
            if (off.failing()) violating++;
            if (on.bounds().endsWith("processes and pages")) pagesReduced++;
        }
        assertTrue(violating >= 3, "random explorations with a violation: " + violating);
        assertTrue(pagesReduced >= 3, "random explorations reduced over pages: " + pagesReduced);
        System.out.println("random explorations: 14, " + violating + " with a violation, " + pagesReduced + " reduced over pages");
    }

    /** A program spec is never reduced: each process runs its own program. */
    @Test
    void programSpecsAreNotReduced() throws Exception {
        Spec spec = SpecParser.parse(Repo.spec("specs/cow/cve-2020-29374-vmsplice-child.mmc"));
        Profile base = Profiles.named(spec.profile()).orElseThrow();
        CheckReport off = new Runner(RunSettings.defaults()).check(spec, base);
        CheckReport on = new Runner(RunSettings.defaults().withSymmetry(true)).check(spec, base);
        assertEquals(Signatures.of(off), Signatures.of(on));
        assertTrue(on.bounds().endsWith("no symmetry reduction (each process runs its own program)"), on.bounds());
        assertFalse(off.bounds().contains("symmetry"), off.bounds());
    }

    /**
     * A fork split into steps names its child's slot while in flight, which a renaming does not rename: an exploration
     * with it is not reduced, and the model refuses to be asked.
     */
    @Test
    void anOperationInFlightNamingAnotherSlotRefusesTheReduction() throws Exception {
        Spec spec = SpecParser.parse(Repo.spec("specs/races/gup-fast-fork-explore.mmc"));
        assertTrue(Exploration.symmetryRefusal(spec.alphabet()).orElseThrow().startsWith("a fork in flight"));
        Profile profile = Profiles.named(spec.profile()).orElseThrow();
        assertThrows(IllegalArgumentException.class,
                () -> new Exploration(profile, Runner.initialState(spec, profile), spec.alphabet(), true));
    }

    /**
     * ksm-merge is offered for both orders of a pair (either page can be the one that becomes the KSM page), which is
     * what lets the reduction take it: the all-operations explorations are reduced (their counts are pinned above).
     */
    @Test
    void ksmMergeIsOfferedInBothOrders() throws Exception {
        Spec spec = SpecParser.parse(Repo.spec("specs/explore/anon-all-ops-1page.mmc"));
        assertTrue(Exploration.symmetryRefusal(spec.alphabet()).isEmpty());
        Profile profile = Profiles.named(spec.profile()).orElseThrow();
        Exploration e = new Exploration(profile, Runner.initialState(spec, profile), spec.alphabet(), true);
        // P0 writes its page and forks, P1 writes its copy: two pages of equal content, one in each process
        MmState s = e.initialStates().get(0);
        for (Op op : List.of(new Op.Write(new Pid(0), new Vaddr(0), dev.mmcheck.model.scenario.OpTemplate.STORED_VALUE, false), new Op.Fork(new Pid(0), new Pid(1), false),
                new Op.Write(new Pid(1), new Vaddr(0), dev.mmcheck.model.scenario.OpTemplate.STORED_VALUE, false))) {
            s = e.next(s, op);
        }
        List<Op> ops = new ArrayList<>();
        e.enabled(s, ops);
        assertEquals(List.of("ksmd merges P0 A with P1 A", "ksmd merges P1 A with P0 A"),
                ops.stream().filter(o -> o instanceof Op.KsmMerge).map(Op::call).toList());
    }
}
