package dev.mmcheck.lib.spec;

/** Bad input in a spec file: where it is and what was expected. Printed as one line, never as a stack trace. */
public final class SpecException extends Exception {
    private final String file;
    private final int line;
    private final int column;
    private final boolean refusedByRelease;

    public SpecException(String file, int line, int column, String message) {
        this(file, line, column, message, false);
    }

    /**
     * @param refusedByRelease a setup step the release's rules refuse (its kernel lacks the feature, or fails the call):
     *                         bad input for one check, "not in this release" for a run of a sweep
     */
    public SpecException(String file, int line, int column, String message, boolean refusedByRelease) {
        super(message);
        this.file = file;
        this.line = line;
        this.column = column;
        this.refusedByRelease = refusedByRelease;
    }

    public boolean refusedByRelease() {
        return refusedByRelease;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    /**
     * file:line:column: message, as compilers print it: always one line (control characters from the input are
     * escaped) of bounded length (a long echo of the input is cut in the middle).
     */
    public String render() {
        return (line > 0 ? file + ":" + line + ":" + column + ": " : file + ": ") + oneLine(getMessage());
    }

    private static String oneLine(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        // long enough for the lists of names the messages give (every decision point), short enough that a pasted
        // megabyte of input does not come back whole
        return b.length() <= 2000 ? b.toString() : b.substring(0, 1400) + " ... " + b.substring(b.length() - 500);
    }
}
