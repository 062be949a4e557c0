package dev.mmcheck.lib.report;

import dev.mmcheck.lib.spec.SpecException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON reader for the files users hand back to mmcheck (counterexamples): every value remembers its line
 * and column, nesting is bounded by {@link #MAX_NESTING} (no recursion at all: an explicit stack), and every
 * refusal is a {@link SpecException} at the offending character. Typed accessors ({@link Value#integer},
 * {@link Value#string}, ...) name the JSON path of a value of the wrong type or range.
 */
public final class JsonText {
    public static final int MAX_NESTING = 32;

    private final String file;
    private final String text;
    private int pos;
    private int line = 1;
    private int lineStart;

    private JsonText(String file, String text) {
        this.file = file;
        this.text = text;
    }

    /** A JSON value with where it was found. Objects keep their keys in order; duplicate keys are refused. */
    public sealed interface Value {
        String path();

        int line();

        int column();
    }

    public record Obj(String path, int line, int column, Map<String, Value> members) implements Value {
    }

    public record Arr(String path, int line, int column, List<Value> items) implements Value {
    }

    public record Str(String path, int line, int column, String value) implements Value {
    }

    public record Num(String path, int line, int column, String literal) implements Value {
    }

    public record Bool(String path, int line, int column, boolean value) implements Value {
    }

    public record Null(String path, int line, int column) implements Value {
    }

    public static Value parse(String file, String text) throws SpecException {
        JsonText p = new JsonText(file, text);
        p.skipSpace();
        Value v = p.document();
        p.skipSpace();
        if (p.pos < text.length()) throw p.error("expected the end of the file after the JSON value");
        return v;
    }

    // ---- typed access

    public static Obj object(String file, Value v) throws SpecException {
        if (v instanceof Obj o) return o;
        throw wrong(file, v, "an object");
    }

    public static Value member(String file, Obj o, String key) throws SpecException {
        Value v = o.members().get(key);
        if (v == null) throw new SpecException(file, o.line(), o.column(), o.path() + ": missing \"" + key + "\"");
        return v;
    }

    public static String string(String file, Value v) throws SpecException {
        if (v instanceof Str s) return s.value();
        throw wrong(file, v, "a string");
    }

    public static int integer(String file, Value v, int min, int max) throws SpecException {
        if (v instanceof Num n && n.literal().matches("-?[0-9]{1,10}")) {
            long x = Long.parseLong(n.literal());
            if (x >= min && x <= max) return (int) x;
        }
        throw wrong(file, v, "an integer " + min + ".." + max);
    }

    public static List<Value> array(String file, Value v, int maxItems) throws SpecException {
        if (v instanceof Arr a) {
            if (a.items().size() > maxItems) throw wrong(file, v, "an array of at most " + maxItems + " items");
            return a.items();
        }
        throw wrong(file, v, "an array");
    }

    private static SpecException wrong(String file, Value v, String expected) {
        String found = switch (v) {
            case Obj o -> "an object";
            case Arr a -> "an array";
            case Str s -> "the string \"" + (s.value().length() > 40 ? s.value().substring(0, 40) + "..." : s.value()) + "\"";
            case Num n -> "the number " + (n.literal().length() > 24 ? n.literal().substring(0, 24) + "..." : n.literal());
            case Bool b -> String.valueOf(b.value());
            case Null n -> "null";
        };
        return new SpecException(file, v.line(), v.column(), v.path() + ": expected " + expected + ", found " + found);
    }

    // ---- parsing without recursion

    /** A container being filled: an object (with the key awaiting its value) or an array. */
    private static final class Open {
        final String path;
        final int line;
        final int column;
        final Map<String, Value> members;
        final List<Value> items;
        String key;

        Open(String path, int line, int column, boolean object) {
            this.path = path;
            this.line = line;
            this.column = column;
            this.members = object ? new LinkedHashMap<>() : null;
            this.items = object ? null : new ArrayList<>();
        }

        String childPath() {
            return members != null ? path + "." + key : path + "[" + items.size() + "]";
        }

        Value close() {
            return members != null ? new Obj(path, line, column, members) : new Arr(path, line, column, items);
        }
    }

    private Value document() throws SpecException {
        List<Open> stack = new ArrayList<>();
        String path = "$";
        while (true) {
            int l = line;
            int c = pos - lineStart + 1;
            char ch = peek("a value");
            Value done;
            if (ch == '{' || ch == '[') {
                if (stack.size() >= MAX_NESTING) throw error("nested deeper than " + MAX_NESTING + " levels");
                pos++;
                Open o = new Open(path, l, c, ch == '{');
                skipSpace();
                char close = ch == '{' ? '}' : ']';
                if (peek(ch == '{' ? "a key or '}'" : "a value or ']'") == close) {
                    pos++;
                    done = o.close();
                } else {
                    stack.add(o);
                    if (o.members != null) o.key = key(o);
                    path = o.childPath();
                    continue;
                }
            } else {
                done = scalar(path, l, c);
            }
            // attach the finished value to the containers it completes
            while (true) {
                if (stack.isEmpty()) return done;
                Open top = stack.get(stack.size() - 1);
                if (top.members != null) {
                    top.members.put(top.key, done);
                } else {
                    top.items.add(done);
                }
                skipSpace();
                char close = top.members != null ? '}' : ']';
                char next = peek("',' or '" + close + "'");
                if (next == ',') {
                    pos++;
                    skipSpace();
                    if (top.members != null) top.key = key(top);
                    path = top.childPath();
                    break;
                }
                if (next != close) throw error("expected ',' or '" + close + "'");
                pos++;
                stack.remove(stack.size() - 1);
                done = top.close();
            }
        }
    }

    private String key(Open o) throws SpecException {
        if (peek("a key") != '"') throw error("expected a key in double quotes");
        String k = string();
        if (o.members.containsKey(k)) throw error("the key \"" + k + "\" appears twice in this object");
        skipSpace();
        if (peek("':'") != ':') throw error("expected ':' after the key");
        pos++;
        skipSpace();
        return k;
    }

    private Value scalar(String path, int l, int c) throws SpecException {
        char ch = text.charAt(pos);
        if (ch == '"') return new Str(path, l, c, string());
        if (text.startsWith("true", pos)) {
            pos += 4;
            return new Bool(path, l, c, true);
        }
        if (text.startsWith("false", pos)) {
            pos += 5;
            return new Bool(path, l, c, false);
        }
        if (text.startsWith("null", pos)) {
            pos += 4;
            return new Null(path, l, c);
        }
        if (ch == '-' || (ch >= '0' && ch <= '9')) {
            int start = pos;
            while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) pos++;
            String lit = text.substring(start, pos);
            if (!lit.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
                pos = start;
                throw error("malformed number '" + (lit.length() > 24 ? lit.substring(0, 24) + "..." : lit) + "'");
            }
            if (lit.length() > 64) {
                pos = start;
                throw error("a number of more than 64 characters");
            }
            return new Num(path, l, c, lit);
        }
        throw error("expected a value (object, array, string, number, true, false or null), found '" + ch + "'");
    }

    private String string() throws SpecException {
        pos++; // opening quote
        StringBuilder b = new StringBuilder();
        while (true) {
            if (pos >= text.length()) throw error("unterminated string");
            char ch = text.charAt(pos);
            if (ch == '"') {
                pos++;
                return b.toString();
            }
            if (ch == '\n' || ch < 0x20) throw error("a control character inside a string; escape it");
            if (ch == '\\') {
                if (pos + 1 >= text.length()) throw error("unterminated escape");
                char e = text.charAt(pos + 1);
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        if (pos + 6 > text.length() || !text.substring(pos + 2, pos + 6).matches("[0-9a-fA-F]{4}")) {
                            throw error("expected four hex digits after \\u");
                        }
                        b.append((char) Integer.parseInt(text.substring(pos + 2, pos + 6), 16));
                        pos += 4;
                    }
                    default -> throw error("unknown escape '\\" + e + "'");
                }
                pos += 2;
            } else {
                b.append(ch);
                pos++;
            }
        }
    }

    private char peek(String expected) throws SpecException {
        if (pos >= text.length()) throw error("the file ends early; expected " + expected);
        return text.charAt(pos);
    }

    private void skipSpace() {
        while (pos < text.length()) {
            char ch = text.charAt(pos);
            if (ch == '\n') {
                line++;
                lineStart = pos + 1;
            } else if (ch != ' ' && ch != '\t' && ch != '\r') {
                return;
            }
            pos++;
        }
    }

    private SpecException error(String message) {
        return new SpecException(file, line, pos - lineStart + 1, message);
    }
}
