package dev.mmcheck.spark;

import dev.mmcheck.checker.Model;
import dev.mmcheck.checker.Property;
import dev.mmcheck.checker.toys.Counters;
import java.util.Arrays;
import java.util.List;

/**
 * The checker's Counters toy as a model source, with properties chosen so that several states of one level decide
 * each (the trace then depends on which the engine picks): "sum below limit" (ALWAYS, violated at depth limit by every
 * state of that depth), "counter 0 at k" (SOMETIMES), and "last counter below k" (ALWAYS). {@code opaque} hides
 * decode, so the engine rebuilds states by replaying their paths.
 */
record CountersSource(int n, int k, int limit, boolean opaque, boolean withProperties)
        implements ModelSource<int[], Integer> {

    static CountersSource plain(int n, int k) {
        return new CountersSource(n, k, Integer.MAX_VALUE, false, false);
    }

    CountersSource withOpaque() {
        return new CountersSource(n, k, limit, true, withProperties);
    }

    List<Property<int[]>> properties() {
        if (!withProperties) return List.of();
        return List.of(
                Property.always("sum-below-limit", s -> Arrays.stream(s).sum() < limit),
                Property.sometimes("first-at-k", s -> s[0] == k),
                Property.always("last-below-k", s -> s[n - 1] < k));
    }

    Model<int[], Integer> model() {
        Counters c = new Counters(n, k);
        return opaque ? c.opaque() : c;
    }

    @Override
    public Instance<int[], Integer> open() {
        return new Instance<>(model(), properties());
    }
}
