package dev.mmcheck.lib.spec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a user's input file (a spec, a counterexample) as text: at most a fixed number of bytes, strict UTF-8,
 * no control characters. Every refusal is one {@link SpecException} that says where and why, so a directory,
 * {@code /dev/zero}, a binary file or a truncated multi-byte character never reaches a parser.
 */
public final class InputFile {
    private InputFile() {
    }

    /** The file's text, or a located error. {@code what} names the kind of file in messages ("spec", "counterexample"). */
    public static String read(Path path, int maxBytes, String what) throws SpecException {
        String name = path.toString();
        if (Files.isDirectory(path)) throw new SpecException(name, 0, 0, "is a directory, not a " + what + " file");
        byte[] bytes;
        try (InputStream in = Files.newInputStream(path)) {
            bytes = in.readNBytes(maxBytes + 1);
        } catch (NoSuchFileException e) {
            throw new SpecException(name, 0, 0, "no such file");
        } catch (AccessDeniedException e) {
            throw new SpecException(name, 0, 0, "permission denied");
        } catch (IOException e) {
            throw new SpecException(name, 0, 0, "cannot read: " + e.getMessage());
        }
        if (bytes.length > maxBytes) {
            throw new SpecException(name, 0, 0, "larger than " + (maxBytes >> 10) + " KiB; a " + what + " file is a small text file");
        }
        return decode(name, bytes);
    }

    /** Strict UTF-8 decoding; a malformed byte or a control character is reported at its line and column. */
    public static String decode(String name, byte[] bytes) throws SpecException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult r = decoder.decode(in, out, true);
        if (!r.isError()) r = decoder.flush(out);
        if (r.isError()) {
            int at = in.position();
            String before = prefix(bytes, at);
            throw new SpecException(name, line(before), column(before),
                    String.format("not UTF-8 text: byte 0x%02x cannot start or continue a character here", bytes[at] & 0xff));
        }
        out.flip();
        String text = out.toString();
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean allowed = c == '\n' || c == '\t' || (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n');
            if ((c < 0x20 || c == 0x7f) && !allowed) {
                String before = text.substring(0, i);
                throw new SpecException(name, line(before), column(before),
                        String.format("unexpected control character U+%04X; expected text", (int) c));
            }
        }
        return text;
    }

    private static String prefix(byte[] bytes, int validBytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, 0, validBytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("the prefix before the first malformed byte decodes", e);
        }
    }

    private static int line(String before) {
        int n = 1;
        for (int i = 0; i < before.length(); i++) {
            if (before.charAt(i) == '\n') n++;
        }
        return n;
    }

    private static int column(String before) {
        return before.length() - before.lastIndexOf('\n');
    }
}
