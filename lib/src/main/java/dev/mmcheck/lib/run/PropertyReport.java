package dev.mmcheck.lib.run;

import dev.mmcheck.model.invariant.Violation;
import java.util.List;
import java.util.Optional;

/**
 * The result for one property.
 *
 * @param kind   invariant, witness or outcome
 * @param detail  for a violation, the values that break the invariant in the last state of the trace
 * @param minimal for a violated invariant, the setup and trace shrunk to what the violation needs
 * @param culprits for a violated invariant, the parts of the last state the violation is about
 */
public record PropertyReport(String name, Kind kind, String sentence, String citation, Verdict verdict,
                             Optional<Trace> trace, String detail, Optional<Minimizer.Minimized> minimal,
                             List<Violation.Culprit> culprits) {
    public enum Kind { INVARIANT, WITNESS, OUTCOME }

    public PropertyReport {
        culprits = List.copyOf(culprits);
    }
}
