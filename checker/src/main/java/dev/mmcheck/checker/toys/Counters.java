package dev.mmcheck.checker.toys;

import dev.mmcheck.checker.Model;
import dev.mmcheck.checker.StateEncoder;
import java.util.List;

/**
 * A model for measuring the engine, not memory management: n counters from 0 to k that can each be incremented or
 * decremented. (k+1)^n states, all reachable, up to 2n actions a state; the state at depth d is d increments from
 * zeros. It decodes its encoding, so the checker keeps a packed frontier; {@link #opaque()} hides that, to measure
 * a frontier of state objects (a model that cannot decode).
 *
 * <p>States are int arrays: action 2i increments counter i, action 2i+1 decrements it.
 */
public record Counters(int n, int k) implements Model<int[], Integer> {

    public Counters {
        if (n < 1 || k < 1) {
            throw new IllegalArgumentException("counters need n >= 1 and k >= 1: " + n + ", " + k);
        }
    }

    /** (k+1)^n. */
    public long states() {
        long s = 1;
        for (int i = 0; i < n; i++) {
            s *= k + 1;
        }
        return s;
    }

    /** Transitions: each of the n counters in each state can move up unless at k and down unless at 0. */
    public long transitions() {
        return states() / (k + 1) * k * 2 * n;
    }

    @Override
    public List<int[]> initialStates() {
        return List.of(new int[n]);
    }

    @Override
    public void actions(int[] counters, List<Integer> out) {
        for (int i = 0; i < n; i++) {
            if (counters[i] < k) {
                out.add(2 * i);
            }
            if (counters[i] > 0) {
                out.add(2 * i + 1);
            }
        }
    }

    @Override
    public int[] next(int[] counters, Integer action) {
        int[] next = counters.clone();
        next[action / 2] += action % 2 == 0 ? 1 : -1;
        return next;
    }

    @Override
    public void encode(int[] counters, StateEncoder out) {
        for (int c : counters) {
            out.putInt(c);
        }
    }

    @Override
    public boolean canDecode() {
        return true;
    }

    @Override
    public int[] decode(int[] words, int from, int length) {
        return java.util.Arrays.copyOfRange(words, from, from + length);
    }

    /**
     * The same model with partial-order reduction: moves of two different counters are independent (neither disables
     * the other and both orders reach the same counters), so an action's footprint is its counter.
     */
    public Model<int[], Integer> withSleepSets() {
        if (n > 63) {
            throw new IllegalArgumentException("at most 63 counters have footprints: " + n);
        }
        return new Wrapped(this, true, true);
    }

    /** The same model without decode. */
    public Model<int[], Integer> opaque() {
        return new Wrapped(this, false, false);
    }

    /** This model as it is, with decode or without, with sleep ids and footprints or without. */
    private record Wrapped(Counters inner, boolean decodes, boolean sleeps) implements Model<int[], Integer> {
        @Override
        public List<int[]> initialStates() {
            return inner.initialStates();
        }

        @Override
        public void actions(int[] state, List<Integer> out) {
            inner.actions(state, out);
        }

        @Override
        public int[] next(int[] state, Integer action) {
            return inner.next(state, action);
        }

        @Override
        public void encode(int[] state, StateEncoder out) {
            inner.encode(state, out);
        }

        @Override
        public boolean canDecode() {
            return decodes;
        }

        @Override
        public int[] decode(int[] words, int from, int length) {
            if (!decodes) return Model.super.decode(words, from, length);
            return inner.decode(words, from, length);
        }

        @Override
        public int sleepIds() {
            return sleeps ? 2 * inner.n() : 0;
        }

        @Override
        public int sleepId(int[] state, Integer action) {
            return sleeps ? action : -1;
        }

        @Override
        public long footprint(int[] state, Integer action) {
            return sleeps ? 1L << (action / 2) : ANY;
        }
    }
}
