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
 * @param text       the spec's source text, as read (counterexample files and HTML reports carry it)
 * @param profile    the profile the spec names (the command line may override it)
 * @param variants   decision points the spec overrides, in order, each at most once
 * @param depth      the depth bound; for programs, the total number of program steps
 * @param setup      steps run once, in order, before checking (each with the process that runs it)
 * @param checks     invariant names to check, each once
 * @param witnesses  reachability witness names that must be reached, each once
 * @param labels     reference names, index = label - 1
 * @param warnings   what the spec may not mean as written; {@code --strict} makes them errors
 */
public record Spec(String file, String text, String name, String title, List<String> cites, String profile,
                   List<Variant> variants, int processes, int pages, int depth, long maxStates,
                   List<SetupStep> setup, List<List<ProgramStep>> programs, List<OpTemplate> alphabet,
                   List<String> checks, List<String> witnesses, Optional<Outcome> outcome, List<String> labels,
                   List<Warning> warnings) {

    /**
     * A {@code set} line (or {@code --set}): the point's choice, or a rule plugin replacing the point's rule.
     *
     * @param plugin null, or the plugin (then {@code choice} is unused)
     * @param origin where it was given: "file:line:column" of a {@code set} line, or "--set" / "--plugin"
     */
    public record Variant(DecisionPoint<?> point, Decision choice, dev.mmcheck.model.plugin.RulePlugin plugin, String origin) {
        public Variant(DecisionPoint<?> point, Decision choice) {
            this(point, choice, null, "");
        }

        /** "point=choice" or "point=plugin:NAME". */
        public String text() {
            return point.name() + "=" + (plugin != null ? "plugin:" + plugin.name() : choice.specName());
        }
    }

    public record SetupStep(Pid pid, ProgramStep step, int line, int column) {
    }

    /** exists (a final state satisfies it) or forbidden (no final state does). */
    public record Outcome(boolean exists, Condition condition, String text) {
        public String describe() {
            return (exists ? "exists " : "forbidden ") + text;
        }
    }

    /** Something the spec says that may not mean what its author thinks; an error under {@code --strict}. */
    public record Warning(int line, int column, String message) {
        public String render(String file) {
            return file + ":" + line + ":" + column + ": warning: " + message;
        }
    }

    public boolean isExploration() {
        return !alphabet.isEmpty();
    }
}
