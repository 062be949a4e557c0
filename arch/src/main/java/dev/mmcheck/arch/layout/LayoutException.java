package dev.mmcheck.arch.layout;

/** A malformed layout file: where and what was expected. */
public final class LayoutException extends RuntimeException {
    public LayoutException(String file, int line, String message) {
        super(file + ":" + line + ": " + message);
    }
}
