package dev.mmcheck.lib.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmcheck.lib.Repo;
import dev.mmcheck.lib.spec.Spec;
import dev.mmcheck.lib.spec.SpecParser;
import dev.mmcheck.model.op.Op;
import dev.mmcheck.model.profile.Profile;
import dev.mmcheck.model.profile.Profiles;
import dev.mmcheck.model.scenario.Exploration;
import dev.mmcheck.model.state.MmState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Partial-order reduction by sleep sets (--por): the footprints it relies on are sound where they are checked state
 * by state, and every bundled exploration and random exploration keeps its states, verdicts and shortest trace
 * lengths with fewer transitions.
 */
class PartialOrderTest {
    /** Every property's trace as the initial state and the action indices replayed from it. */
    private static String traces(CheckReport r) {
        return r.properties().stream()
                .map(p -> p.name() + p.trace().map(t -> " " + t.initialIndex() + t.actionIndices()).orElse(""))
                .collect(Collectors.joining("; "));
    }

    private static Exploration exploration(Spec spec, boolean partialOrder) throws Exception {
        Profile profile = Runner.profileFor(spec, Profiles.named(spec.profile()).orElseThrow());
        return new Exploration(profile, Runner.initialState(spec, profile), spec.alphabet(), false, partialOrder);
    }

    /**
     * What the reduction relies on, checked on the first 300 states of every bundled exploration (breadth-first) and
     * along seeded random walks: two operations enabled in a state with disjoint footprints are independent there:
     * each stays enabled after the other, and both orders reach the same state. And the one-pass sleepInfo gives what
     * sleepId and footprint give.
     */
    @Test
    void operationsWithDisjointFootprintsCommute() throws Exception {
        int pairs = 0;
        int specsWithPairs = 0;
        for (Path file : Explorations.bundled()) {
            Spec spec = SpecParser.parse(file);
            Exploration x = exploration(spec, true);
            List<MmState> sample = Explorations.sample(x, 7);
            int before = pairs;
            for (MmState s : sample) {
                List<Op> ops = new ArrayList<>();
                x.enabled(s, ops);
                int[] ids = new int[ops.size()];
                long[] footprints = new long[ops.size()];
                x.sleepInfo(s, ops, ids, footprints);
                for (int i = 0; i < ops.size(); i++) {
                    assertEquals(x.sleepId(s, ops.get(i)), ids[i], spec.name() + ": " + ops.get(i));
                    assertEquals(ids[i] < 0 ? -1L : x.footprint(s, ops.get(i)), footprints[i], spec.name() + ": " + ops.get(i));
                    assertTrue(ids[i] < x.sleepIds(), spec.name() + ": " + ops.get(i));
                }
                for (int i = 0; i < ops.size(); i++) {
                    for (int j = i + 1; j < ops.size(); j++) {
                        if (ids[i] < 0 || ids[j] < 0 || footprints[i] == -1L || footprints[j] == -1L
                                || (footprints[i] & footprints[j]) != 0) {
                            continue;
                        }
                        Op a = ops.get(i);
                        Op b = ops.get(j);
                        MmState sa = x.next(s, a);
                        MmState sb = x.next(s, b);
                        if (sa == null || sb == null) continue;
                        String where = spec.name() + ": " + a.call() + " and " + b.call() + " in " + s;
                        MmState sab = x.next(sa, b);
                        MmState sba = x.next(sb, a);
                        assertNotNull(sab, where + ": the first disables the second");
                        assertNotNull(sba, where + ": the second disables the first");
                        assertEquals(Explorations.key(x, sab), Explorations.key(x, sba), where + ": the two orders differ");
                        assertEquals(ids[j], x.sleepId(sa, b), where + ": the second's sleep id changes");
                        assertEquals(ids[i], x.sleepId(sb, a), where + ": the first's sleep id changes");
                        pairs++;
                    }
                }
            }
            if (pairs > before) specsWithPairs++;
        }
        System.out.println("independent pairs checked: " + pairs + " in " + specsWithPairs + " explorations");
        assertTrue(pairs > 20_000, "independent pairs checked: " + pairs);
        assertTrue(specsWithPairs >= 5, "explorations with independent pairs: " + specsWithPairs);
    }

    /** Transitions without and with the reduction where it removes any (the states are the same everywhere). */
    private static final Map<String, List<Long>> TRANSITIONS = Map.of(
            "explore/anon-all-ops-1page", List.of(684_806L, 615_674L),
            "explore/anon-all-ops-2pages", List.of(1_103_808L, 884_091L),
            "explore/anon-ksm-zero-1page", List.of(159_442L, 147_306L),
            "explore/hugetlb-device-2procs", List.of(42_745L, 42_533L),
            "races/gup-fast-fork-explore", List.of(201L, 199L),
            "races/force-write-explore", List.of(4_544L, 4_542L));

    /**
     * Every bundled exploration: the same states, states at the depth bound, deepest level, verdicts and traces (the
     * same action indices, not only lengths) with the reduction on and off, and the pinned transitions where it removes
     * some (the same elsewhere).
     */
    @Test
    void sameStatesVerdictsAndTraceLengthsOnEveryBundledExploration() throws Exception {
        int reduced = 0;
        for (Path file : Explorations.bundled()) {
            Spec spec = SpecParser.parse(file);
            Profile base = Profiles.named(spec.profile()).orElseThrow();
            CheckReport off = new Runner(RunSettings.defaults()).check(spec, base);
            CheckReport on = new Runner(RunSettings.defaults().withPartialOrder(true)).check(spec, base);
            assertEquals(off.states(), on.states(), spec.name());
            assertEquals(off.statesCutByDepthBound(), on.statesCutByDepthBound(), spec.name());
            assertEquals(off.maxDepthReached(), on.maxDepthReached(), spec.name());
            assertEquals(Explorations.verdicts(off), Explorations.verdicts(on), spec.name());
            assertEquals(traces(off), traces(on), spec.name());
            List<Long> expected = TRANSITIONS.getOrDefault(spec.name(), List.of(off.transitions(), off.transitions()));
            assertEquals(expected, List.of(off.transitions(), on.transitions()), spec.name() + ": transitions off, on");
            if (on.transitions() < off.transitions()) reduced++;
        }
        assertEquals(TRANSITIONS.size(), reduced);
    }

    /** With sleep sets too, the thread count changes nothing: states, transitions, verdicts and the traces themselves. */
    @Test
    void sameResultsWithTwoThreads() throws Exception {
        Spec spec = SpecParser.parse(Repo.spec("specs/explore/anon-all-ops-1page.mmc"));
        Profile base = Profiles.named(spec.profile()).orElseThrow();
        CheckReport one = new Runner(RunSettings.defaults().withPartialOrder(true)).check(spec, base);
        CheckReport two = new Runner(RunSettings.defaults().withPartialOrder(true).withThreads(2)).check(spec, base);
        assertEquals(Signatures.of(one), Signatures.of(two));
        assertEquals(one.transitions(), two.transitions());
    }

    /**
     * Random explorations (seeded), as in SymmetryTest: a random release, 2 or 3 processes, 1 or 2 pages, a random part
     * of the anonymous-memory alphabet. With --por: the same states, verdicts and traces, never more transitions;
     * some with fewer, some violating an invariant.
     */
    @Test
    void sameStatesVerdictsAndTraceLengthsOnRandomExplorations() throws Exception {
        Random random = new Random(1905);
        int violating = 0;
        int fewer = 0;
        for (int n = 0; n < 14; n++) {
            String text = Explorations.random(random, n, "PartialOrderTest");
            Spec spec = SpecParser.parse("random-" + n + ".mmc", text);
            Profile base = Profiles.named(spec.profile()).orElseThrow();
            CheckReport off = new Runner(RunSettings.defaults()).check(spec, base);
            CheckReport on = new Runner(RunSettings.defaults().withPartialOrder(true)).check(spec, base);
            assertEquals(off.states(), on.states(), text);
            assertEquals(Explorations.verdicts(off), Explorations.verdicts(on), text);
            assertEquals(traces(off), traces(on), text);
            assertTrue(on.transitions() <= off.transitions(), text);
            if (on.transitions() < off.transitions()) fewer++;
            if (off.failing()) violating++;
        }
        assertTrue(violating >= 3, "random explorations with a violation: " + violating);
        assertTrue(fewer >= 7, "random explorations with fewer transitions: " + fewer);
        System.out.println("random explorations: 14, " + violating + " with a violation, " + fewer + " with fewer transitions");
    }

    /** A program spec is not reduced, and the bounds line says so; symmetry and sleep sets together are refused. */
    @Test
    void programsAreNotReducedAndSymmetryIsRefused() throws Exception {
        Spec spec = SpecParser.parse(Repo.spec("specs/cow/cve-2020-29374-vmsplice-child.mmc"));
        Profile base = Profiles.named(spec.profile()).orElseThrow();
        CheckReport off = new Runner(RunSettings.defaults()).check(spec, base);
        CheckReport on = new Runner(RunSettings.defaults().withPartialOrder(true)).check(spec, base);
        assertEquals(Signatures.of(off), Signatures.of(on));
        assertTrue(on.bounds().endsWith("no partial-order reduction (each process runs its own program)"), on.bounds());
        Spec all = SpecParser.parse(Repo.spec("specs/explore/anon-all-ops-1page.mmc"));
        Profile profile = Profiles.named(all.profile()).orElseThrow();
        assertThrows(IllegalArgumentException.class,
                () -> new Exploration(profile, Runner.initialState(all, profile), all.alphabet(), true, true));
        assertEquals(0, exploration(all, false).sleepIds());
    }
}
