package dev.mmcheck.lib.run;

import java.util.Optional;

/**
 * The result for one property.
 *
 * @param kind   invariant, witness or outcome
 * @param detail  for a violation, the values that break the invariant in the last state of the trace
 * @param minimal for a violated invariant, the setup and trace shrunk to what the violation needs
 */
public record PropertyReport(String name, Kind kind, String sentence, String citation, Verdict verdict,
                             Optional<Trace> trace, String detail, Optional<Minimizer.Minimized> minimal) {
    public enum Kind { INVARIANT, WITNESS, OUTCOME }
}
