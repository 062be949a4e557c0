package dev.mmcheck.lib.spec;

/** Bad input in a spec file: where it is and what was expected. Printed as one line, never as a stack trace. */
public final class SpecException extends Exception {
    private final String file;
    private final int line;
    private final int column;

    public SpecException(String file, int line, int column, String message) {
        super(message);
        this.file = file;
        this.line = line;
        this.column = column;
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

    /** file:line:column: message, as compilers print it. */
    public String render() {
        return line > 0 ? file + ":" + line + ":" + column + ": " + getMessage() : file + ": " + getMessage();
    }
}
