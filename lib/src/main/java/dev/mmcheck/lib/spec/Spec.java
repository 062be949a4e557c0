package dev.mmcheck.lib.spec;

import dev.mmcheck.model.profile.Decision;
import dev.mmcheck.model.profile.DecisionPoint;
import dev.mmcheck.model.scenario.OpTemplate;
import dev.mmcheck.model.scenario.ProgramStep;
import dev.mmcheck.model.state.Pid;
import java.util.List;
import java.util.Optional;

/**
 * A parsed spec file. Either {@link #programs()} (a litmus test) or {@link #alphabet()} (an exploration)
 * is non-empty, never both.
 *
 * @param file       the path as given on the command line
 * @param profile    the profile the spec names (the command line may override it)
 * @param variants   decision points the spec overrides, in order
 * @param depth      the depth bound; for programs, the total number of program steps
 * @param setup      steps run once, in order, before checking (each with the process that runs it)
 * @param checks     invariant names to check
 * @param witnesses  reachability witness names that must be reached
 * @param labels     reference names, index = label - 1
 */
public record Spec(String file, String name, String title, List<String> cites, String profile,
                   List<Variant> variants, int processes, int pages, int depth, long maxStates,
                   List<SetupStep> setup, List<List<ProgramStep>> programs, List<OpTemplate> alphabet,
                   List<String> checks, List<String> witnesses, Optional<Outcome> outcome, List<String> labels) {

    public record Variant(DecisionPoint<?> point, Decision choice) {
    }

    public record SetupStep(Pid pid, ProgramStep step, int line) {
    }

    /** exists (a final state satisfies it) or forbidden (no final state does). */
    public record Outcome(boolean exists, Condition condition, String text) {
        public String describe() {
            return (exists ? "exists " : "forbidden ") + text;
        }
    }

    public boolean isExploration() {
        return !alphabet.isEmpty();
    }
}
