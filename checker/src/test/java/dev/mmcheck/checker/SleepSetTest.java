package dev.mmcheck.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmcheck.checker.toys.Counters;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Partial-order reduction by sleep sets ({@link Model#sleepIds}): the same states at the same depths, the same
 * verdicts and shortest trace lengths, fewer transitions, and the same at any thread count.
 */
class SleepSetTest {

    private static List<Property<int[]>> countersProperties(int n, int k) {
        return List.of(
                Property.sometimes("all at k", (int[] c) -> java.util.Arrays.stream(c).allMatch(v -> v == k)),
                Property.always("never all at k", (int[] c) -> !java.util.Arrays.stream(c).allMatch(v -> v == k)),
                Property.always("sum below n*k", (int[] c) -> java.util.Arrays.stream(c).sum() < n * k));
    }

    @Test
    void sameStatesAndTraceLengthsWithFewerTransitions() {
        Counters counters = new Counters(4, 3);
        var plain = Checker.of((Model<int[], Integer>) counters).properties(countersProperties(4, 3)).check();
        var reduced = Checker.of(counters.withSleepSets()).properties(countersProperties(4, 3)).check();
        assertEquals(256, plain.statistics().distinctStates());
        assertEquals(counters.transitions(), Checker.of((Model<int[], Integer>) counters).check().statistics().transitions());
        assertEquals(plain.statistics().distinctStates(), reduced.statistics().distinctStates());
        assertEquals(plain.statistics().maxDepthReached(), reduced.statistics().maxDepthReached());
        assertTrue(reduced.statistics().transitions() < plain.statistics().transitions(),
                reduced.statistics().transitions() + " transitions against " + plain.statistics().transitions());
        for (int p = 0; p < plain.results().size(); p++) {
            var a = plain.results().get(p);
            var b = reduced.results().get(p);
            assertEquals(a.status(), b.status(), a.property().name());
            assertEquals(a.path().map(Path::length), b.path().map(Path::length), a.property().name());
        }
        assertEquals(12, reduced.results().get(0).path().orElseThrow().length());
    }

    /** Every state of every level: the reduced search admits the same set of states level by level. */
    @Test
    void sameStatesAtEveryDepthBound() {
        Counters counters = new Counters(3, 4);
        for (int depth = 0; depth <= 12; depth++) {
            var plain = Checker.of((Model<int[], Integer>) counters).maxDepth(depth).check().statistics();
            var reduced = Checker.of(counters.withSleepSets()).maxDepth(depth).check().statistics();
            assertEquals(plain.distinctStates(), reduced.distinctStates(), "depth " + depth);
            assertEquals(plain.statesCutByDepthBound(), reduced.statesCutByDepthBound(), "depth " + depth);
        }
    }

    @Test
    void sameResultAtAnyThreadCount() {
        // 16^4 states: several blocks a level, so sleep sets meet across blocks and sources
        Counters counters = new Counters(4, 15);
        var one = Checker.of(counters.withSleepSets()).properties(countersProperties(4, 15)).check();
        assertEquals(65_536, one.statistics().distinctStates());
        for (int threads : new int[] {2, 3, 4}) {
            var many = Checker.of(counters.withSleepSets()).properties(countersProperties(4, 15)).threads(threads).check();
            assertEquals(one.statistics().distinctStates(), many.statistics().distinctStates(), threads + " threads");
            assertEquals(one.statistics().transitions(), many.statistics().transitions(), threads + " threads");
            for (int p = 0; p < one.results().size(); p++) {
                assertEquals(one.results().get(p).status(), many.results().get(p).status());
                assertEquals(one.results().get(p).path().map(Path::actionIndices),
                        many.results().get(p).path().map(Path::actionIndices));
            }
        }
    }

    /**
     * "if x == 0 then x := y + 1" and "y := 1" do not commute: a footprint that says they do puts the first to sleep
     * after the second, and the state (2, 1), which only that order reaches, is lost.
     */
    @Test
    void aFootprintThatLiesLosesStates() {
        record XY(int x, int y) {
        }
        class Lying implements Model<XY, Integer> {
            private final boolean lie;

            Lying(boolean lie) {
                this.lie = lie;
            }

            @Override
            public List<XY> initialStates() {
                return List.of(new XY(0, 0));
            }

            @Override
            public void actions(XY s, List<Integer> out) {
                out.add(0);
                out.add(1);
            }

            @Override
            public XY next(XY s, Integer a) {
                XY n = a == 0 ? (s.x() == 0 ? new XY(s.y() + 1, s.y()) : s) : new XY(s.x(), 1);
                return n.equals(s) ? null : n;
            }

            @Override
            public void encode(XY s, StateEncoder out) {
                out.putInt(s.x());
                out.putInt(s.y());
            }

            @Override
            public int sleepIds() {
                return 2;
            }

            @Override
            public int sleepId(XY s, Integer a) {
                return a;
            }

            @Override
            public long footprint(XY s, Integer a) {
                return lie ? 1L << a : Model.ANY;
            }
        }
        // (0,0) (1,0) (0,1) (1,1) (2,1)
        assertEquals(5, Checker.of(new Lying(false)).check().statistics().distinctStates());
        assertEquals(4, Checker.of(new Lying(true)).check().statistics().distinctStates());
    }
}
