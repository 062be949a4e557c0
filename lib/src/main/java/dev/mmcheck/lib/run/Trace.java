package dev.mmcheck.lib.run;

import java.util.List;

/**
 * A path from the initial state, for reports and counterexample files.
 *
 * @param actionIndices the index of each step's action among the enabled actions, for replay
 * @param steps         one per step, in kernel terms
 * @param states        the state before the first step and after each step, as tables (steps + 1 entries)
 */
public record Trace(int initialIndex, List<Integer> actionIndices, List<TraceStep> steps, List<StateView> states) {

    /** @param call the operation as a user writes it; path the kernel functions it went through; changes what changed */
    public record TraceStep(int process, String call, List<String> path, List<String> changes) {
    }

    public int length() {
        return steps.size();
    }
}
