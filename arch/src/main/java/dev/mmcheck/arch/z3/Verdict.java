package dev.mmcheck.arch.z3;

/**
 * The result of one solver question. An UNKNOWN answer (timeout, incomplete theory) is never reported
 * as HOLDS.
 *
 * @param detail        for VIOLATED the counterexample (values in hex, PTE bits decoded by name); for UNKNOWN
 *                      the solver's reason; for NOT_APPLICABLE why; for HOLDS what was proved, over which domain
 * @param outsideBounds for a claim that HOLDS within the values the kernel can produce but fails beyond them (an
 *                      edge case no kernel reaches): that counterexample, decoded like a violation; "" otherwise
 */
public record Verdict(String check, String sentence, String citation, Status status, String detail, String outsideBounds) {
    public enum Status {
        HOLDS("holds"), VIOLATED("VIOLATED"), UNKNOWN("UNKNOWN (not proved)"), NOT_APPLICABLE("not applicable"),
        /** A question answered with a witness the solver found (how many pins overflow, ...). */
        FOUND("found");

        private final String text;

        Status(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    public Verdict(String check, String sentence, String citation, Status status, String detail) {
        this(check, sentence, citation, status, detail, "");
    }

    public boolean failing() {
        return status == Status.VIOLATED || status == Status.UNKNOWN;
    }
}
