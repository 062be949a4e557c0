package dev.mmcheck.checker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;

/** Small models whose state spaces can be counted by hand. */
final class ToyModels {
    private ToyModels() {
    }

    /**
     * n counters, each from 0 to k, starting at all zeros; action i increments counter i while it is below k. Every
     * one of the (k+1)^n points is reachable, at depth equal to the sum of the counters.
     */
    record Grid(int n, int k, Predicate<List<Integer>> boundary) implements Model<List<Integer>, Integer> {
        Grid(int n, int k) {
            this(n, k, point -> true);
        }

        @Override
        public List<List<Integer>> initialStates() {
            return List.of(List.copyOf(Collections.nCopies(n, 0)));
        }

        @Override
        public void actions(List<Integer> point, List<Integer> out) {
            for (int i = 0; i < n; i++) {
                if (point.get(i) < k) {
                    out.add(i);
                }
            }
        }

        @Override
        public List<Integer> next(List<Integer> point, Integer counter) {
            List<Integer> next = new ArrayList<>(point);
            next.set(counter, point.get(counter) + 1);
            return List.copyOf(next);
        }

        @Override
        public void encode(List<Integer> point, StateEncoder out) {
            point.forEach(out::putInt);
        }

        @Override
        public boolean canDecode() {
            return true;
        }

        @Override
        public List<Integer> decode(int[] words, int from, int length) {
            List<Integer> point = new ArrayList<>(length);
            for (int i = 0; i < length; i++) {
                point.add(words[from + i]);
            }
            return List.copyOf(point);
        }

        @Override
        public boolean withinBoundary(List<Integer> point) {
            return boundary.test(point);
        }

        static int sum(List<Integer> point) {
            return point.stream().mapToInt(Integer::intValue).sum();
        }
    }

    record Jugs(int a, int b) {
    }

    enum Pour { FILL_A, FILL_B, EMPTY_A, EMPTY_B, A_TO_B, B_TO_A }

    /** The water-jug puzzle with a 3 L jug A and a 5 L jug B; an action is enabled when it changes something. */
    record WaterJugs() implements Model<Jugs, Pour> {
        static final int CAPACITY_A = 3;
        static final int CAPACITY_B = 5;

        @Override
        public List<Jugs> initialStates() {
            return List.of(new Jugs(0, 0));
        }

        @Override
        public void actions(Jugs jugs, List<Pour> out) {
            for (Pour pour : Pour.values()) {
                if (!apply(jugs, pour).equals(jugs)) {
                    out.add(pour);
                }
            }
        }

        @Override
        public Jugs next(Jugs jugs, Pour pour) {
            return apply(jugs, pour);
        }

        private static Jugs apply(Jugs j, Pour pour) {
            return switch (pour) {
                case FILL_A -> new Jugs(CAPACITY_A, j.b());
                case FILL_B -> new Jugs(j.a(), CAPACITY_B);
                case EMPTY_A -> new Jugs(0, j.b());
                case EMPTY_B -> new Jugs(j.a(), 0);
                case A_TO_B -> {
                    int moved = Math.min(j.a(), CAPACITY_B - j.b());
                    yield new Jugs(j.a() - moved, j.b() + moved);
                }
                case B_TO_A -> {
                    int moved = Math.min(j.b(), CAPACITY_A - j.a());
                    yield new Jugs(j.a() + moved, j.b() - moved);
                }
            };
        }

        @Override
        public void encode(Jugs jugs, StateEncoder out) {
            out.putInt(jugs.a());
            out.putInt(jugs.b());
        }

        @Override
        public boolean canDecode() {
            return true;
        }

        @Override
        public Jugs decode(int[] words, int from, int length) {
            return new Jugs(words[from], words[from + 1]);
        }
    }

    /**
     * The n-dimensional hypercube: states are n-bit masks from 0, action i toggles bit i. Level d holds the
     * C(n, d) masks with d bits set, and the first of them in BFS order is (1 << d) - 1, reached by toggling
     * bits 0, 1, ..., d-1.
     */
    record Hypercube(int n) implements Model<Integer, Integer> {
        @Override
        public List<Integer> initialStates() {
            return List.of(0);
        }

        @Override
        public void actions(Integer bits, List<Integer> out) {
            for (int i = 0; i < n; i++) {
                out.add(i);
            }
        }

        @Override
        public Integer next(Integer bits, Integer bit) {
            return bits ^ (1 << bit);
        }

        @Override
        public void encode(Integer bits, StateEncoder out) {
            out.putInt(bits);
        }

        @Override
        public boolean canDecode() {
            return true;
        }

        @Override
        public Integer decode(int[] words, int from, int length) {
            return words[from];
        }
    }

    /** A directed graph: states are nodes, action i follows the i-th edge out of a node. */
    record DirectedGraph(List<List<Integer>> edges, List<Integer> initial) implements Model<Integer, Integer> {
        @Override
        public List<Integer> initialStates() {
            return initial;
        }

        @Override
        public void actions(Integer node, List<Integer> out) {
            for (int i = 0; i < edges.get(node).size(); i++) {
                out.add(i);
            }
        }

        @Override
        public Integer next(Integer node, Integer edge) {
            return edges.get(node).get(edge);
        }

        @Override
        public void encode(Integer node, StateEncoder out) {
            out.putInt(node);
        }

        @Override
        public boolean canDecode() {
            return true;
        }

        @Override
        public Integer decode(int[] words, int from, int length) {
            return words[from];
        }
    }

    /** The same model without its decode: the checker must keep a frontier of state objects. */
    record Opaque<S, A>(Model<S, A> inner) implements Model<S, A> {
        @Override
        public List<S> initialStates() {
            return inner.initialStates();
        }

        @Override
        public void actions(S state, List<A> out) {
            inner.actions(state, out);
        }

        @Override
        public S next(S state, A action) {
            return inner.next(state, action);
        }

        @Override
        public void encode(S state, StateEncoder out) {
            inner.encode(state, out);
        }

        @Override
        public boolean withinBoundary(S state) {
            return inner.withinBoundary(state);
        }
    }
}
