package dev.mmcheck.lib.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmcheck.checker.CheckResult;
import dev.mmcheck.checker.Checker;
import dev.mmcheck.checker.Model;
import dev.mmcheck.checker.StateEncoder;
import dev.mmcheck.lib.Repo;
import dev.mmcheck.lib.spec.Spec;
import dev.mmcheck.lib.spec.SpecParser;
import dev.mmcheck.model.profile.Profiles;
import dev.mmcheck.model.state.Data;
import dev.mmcheck.model.state.FolioId;
import dev.mmcheck.model.state.GupRef;
import dev.mmcheck.model.state.MmState;
import dev.mmcheck.model.state.Process;
import dev.mmcheck.model.state.Pte;
import dev.mmcheck.model.state.SwapSlotState;
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
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * MM states travel packed (the checker's frontier, the Spark engine's shuffle): decoding a state's encoding and detail
 * gives back the very state that was encoded, and a search over the packed frontier finds what one over state objects
 * finds, on every bundled spec.
 */
class PackedStatesTest {
    private static List<Path> specs() throws Exception {
        try (Stream<Path> files = Files.walk(Repo.spec("specs"))) {
            return files.filter(p -> p.toString().endsWith(".mmc")).sorted().toList();
        }
    }

    private static Runner.Prepared<?, ?> prepare(Path file, boolean symmetry) throws Exception {
        Spec spec = SpecParser.parse(file);
        return Runner.prepare(spec, Profiles.named(spec.profile()).orElseThrow(), symmetry);
    }

    /**
     * decode(encode(s)) equals s, folio and slot numbers, free slots and reference order included, for the first 400
     * states of every bundled spec breadth-first and along seeded random walks, with and without symmetry.
     */
    @Test
    void decodingGivesBackTheEncodedState() throws Exception {
        int checked = 0;
        int specs = 0;
        Map<String, Integer> cases = new TreeMap<>();
        for (Path file : specs()) {
            for (boolean symmetry : new boolean[] {false, true}) {
                Runner.Prepared<?, ?> p = prepare(file, symmetry);
                if (symmetry && !p.spec().isExploration()) continue;
                checked += roundTrips(p, file.getFileName() + (symmetry ? " (symmetry)" : ""), cases);
                specs++;
            }
        }
        assertTrue(specs > 150, "specs: " + specs);
        assertTrue(checked > 90_000, "states checked: " + checked);
        // the parts of the detail each have states that need them
        for (String c : List.of("a free folio slot below a used one", "a free swap slot with stale data", "a renamed state",
                "a GUP-fast walk between its steps", "a reference on the huge zeropage", "a page a walk or a mirror read, freed since")) {
            assertTrue(cases.getOrDefault(c, 0) > 0, c + ": " + cases);
        }
    }

    /** Tallies the states that exercise each part of the detail. */
    private static void tally(MmState mm, boolean renamed, Map<String, Integer> cases) {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i + 1 < mm.folios().size(); i++) {
            if (mm.folios().get(i).isFree()) seen.add("a free folio slot below a used one");
        }
        for (SwapSlotState st : mm.swap()) {
            if (st.isFree() && !st.data().equals(Data.INITIAL)) seen.add("a free swap slot with stale data");
        }
        if (renamed) seen.add("a renamed state");
        for (GupRef r : mm.refs()) {
            if (r.folio().isHugeZero()) seen.add("a reference on the huge zeropage");
        }
        for (Process p : mm.processes()) {
            if (p.fastWalk().active()) seen.add("a GUP-fast walk between its steps");
            FolioId read = p.fastWalk().seen() instanceof Pte.Present pr ? pr.folio() : p.hmm().seen();
            if (read != null && !read.isAnyZero() && (read.index() >= mm.folios().size() || mm.folios().get(read.index()).isFree())) {
                seen.add("a page a walk or a mirror read, freed since");
            }
        }
        for (String c : new HashSet<>(seen)) cases.merge(c, 1, Integer::sum);
    }

    private static <S, A> int roundTrips(Runner.Prepared<S, A> p, String name, Map<String, Integer> cases) {
        Model<S, A> model = p.model();
        assertTrue(model.canDecode(), name);
        List<S> sample = new ArrayList<>();
        Set<List<Integer>> seen = new HashSet<>();
        ArrayDeque<S> queue = new ArrayDeque<>(model.initialStates());
        for (S s : model.initialStates()) seen.add(identity(model, s));
        while (!queue.isEmpty() && sample.size() < 400) {
            S s = queue.poll();
            sample.add(s);
            for (S t : successors(model, s)) {
                if (seen.add(identity(model, t))) queue.add(t);
            }
        }
        Random random = new Random(29);
        for (int walk = 0; walk < 60; walk++) {
            S s = model.initialStates().get(0);
            for (int d = 0; d < 16; d++) {
                List<S> next = successors(model, s);
                if (next.isEmpty()) break;
                s = next.get(random.nextInt(next.size()));
                sample.add(s);
            }
        }
        StateEncoder packed = StateEncoder.withDetail();
        StateEncoder plain = new StateEncoder();
        for (S s : sample) {
            packed.reset();
            model.encode(s, packed);
            int[] words = packed.toArray();
            S decoded = model.decode(words, 0, words.length);
            assertEquals(s, decoded, name + ": decoded state");
            plain.reset();
            model.encode(s, plain);
            assertEquals(plain.fingerprint(), packed.fingerprint(), name + ": the detail is not part of the identity");
            packed.reset();
            model.encode(decoded, packed);
            assertArrayEquals(words, packed.toArray(), name + ": a decoded state encodes as the state did");
            // the last word of a renamed exploration state's detail is the renaming
            tally(p.scenario().mm(s), name.endsWith("(symmetry)") && words[words.length - 1] != 0, cases);
        }
        return sample.size();
    }

    private static <S, A> List<S> successors(Model<S, A> model, S s) {
        List<A> actions = new ArrayList<>();
        model.actions(s, actions);
        List<S> out = new ArrayList<>();
        for (A a : actions) {
            S t = model.next(s, a);
            if (t != null) out.add(t);
        }
        return out;
    }

    private static <S, A> List<Integer> identity(Model<S, A> model, S s) {
        StateEncoder e = new StateEncoder();
        model.encode(s, e);
        return Arrays.stream(e.toArray()).boxed().toList();
    }

    /**
     * The same states, transitions, verdicts and traces (action indices) with the packed frontier as with state
     * objects, on every bundled spec (up to 20,000 states each), with one thread and with two.
     */
    @Test
    void packedFrontierFindsWhatTheObjectFrontierFinds() throws Exception {
        int specs = 0;
        for (Path file : specs()) {
            Runner.Prepared<?, ?> p = prepare(file, false);
            String objects = outcome(p, false, 1);
            assertEquals(objects, outcome(p, true, 1), file.getFileName() + " packed");
            assertEquals(objects, outcome(p, true, 2), file.getFileName() + " packed, 2 threads");
            specs++;
        }
        assertTrue(specs > 150, "specs: " + specs);
    }

    private static <S, A> String outcome(Runner.Prepared<S, A> p, boolean packed, int threads) {
        CheckResult<S, A> r = Checker.of(p.model()).properties(p.properties()).maxDepth(p.spec().depth())
                .maxStates((int) Math.min(p.spec().maxStates(), 20_000)).threads(threads).packedFrontier(packed).check();
        return r.statistics().distinctStates() + " states, " + r.statistics().transitions() + " transitions: "
                + r.results().stream().map(o -> o.property().name() + " " + o.status()
                        + o.path().map(t -> " " + t.initialIndex() + t.actionIndices()).orElse(""))
                .collect(Collectors.joining("; "));
    }
}
