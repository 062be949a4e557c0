package dev.mmcheck.checker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * One BFS level of the frontier: the states of one depth in the order they were admitted, as a list of chunks.
 * A chunk holds either packed encodings (when the model can decode them) or state objects (when it cannot).
 * Packed encodings are stored compressed: each int zigzag-mapped to 7 bits a byte (an encoding's small fields and
 * counts take one byte instead of four), each state's bytes preceded by their length, and the chunk's stream
 * deflated (neighbouring states of a level differ in a few fields). A chunk is inflated when its block is expanded
 * and dropped after. Packed chunks past a memory budget are written to a file as they arrive and read back, one
 * block at a time: the frontier can be larger than the heap.
 *
 * <p>Only the checking thread adds, loads and releases chunks; workers read loaded chunks between those calls.
 */
final class Level<S> implements AutoCloseable {

    /** A run of consecutive states of the level. */
    static final class Chunk {
        final int count;
        /** Packed: the compressed stream (null while spilled), its length, and whether it is deflated. */
        byte[] stored;
        final int storedLength;
        final boolean deflated;
        /** The length of the stream inflated. */
        final int rawLength;
        /** Loaded: the stream, and where the bytes of state i are: bytes[starts[i], ends[i]). Null otherwise. */
        byte[] bytes;
        int[] starts;
        int[] ends;
        /** Object chunks: the states themselves. */
        final Object[] states;
        /** Where the chunk is in the spill file, or -1 if it was never written there. */
        long fileOffset = -1;

        private Chunk(int count, byte[] stored, int storedLength, boolean deflated, int rawLength, Object[] states) {
            this.count = count;
            this.stored = stored;
            this.storedLength = storedLength;
            this.deflated = deflated;
            this.rawLength = rawLength;
            this.states = states;
        }

        /** The encodings words[ends[i - 1], ends[i]) of {@code count} states, compressed. */
        static Chunk packed(int[] words, int[] ends, int count) {
            int[] lengths = new int[count];
            int total = 0;
            int w = 0;
            for (int i = 0; i < count; i++) {
                for (; w < ends[i]; w++) {
                    lengths[i] += Varints.length(Varints.zigzag(words[w]));
                }
                total += Varints.length(lengths[i]) + lengths[i];
            }
            byte[] raw = new byte[total];
            int at = 0;
            w = 0;
            for (int i = 0; i < count; i++) {
                at = Varints.put(raw, at, lengths[i]);
                for (; w < ends[i]; w++) {
                    at = Varints.put(raw, at, Varints.zigzag(words[w]));
                }
            }
            Deflater deflater = new Deflater(Deflater.BEST_SPEED);
            try {
                deflater.setInput(raw);
                deflater.finish();
                byte[] out = new byte[total + total / 64 + 64];
                int n = 0;
                while (!deflater.finished() && n < out.length) {
                    n += deflater.deflate(out, n, out.length - n);
                }
                if (deflater.finished() && n < total) {
                    return new Chunk(count, out.length - n > 256 ? Arrays.copyOf(out, n) : out, n, true, total, null);
                }
            } finally {
                deflater.end();
            }
            return new Chunk(count, raw, total, false, total, null);
        }

        static Chunk objects(Object[] states) {
            return new Chunk(states.length, null, 0, false, 0, states);
        }

        boolean loaded() {
            return states != null || bytes != null;
        }

        /** Inflates the stored stream and finds where each state's bytes are. */
        void unpack() {
            byte[] raw;
            if (deflated) {
                Inflater inflater = new Inflater();
                try {
                    inflater.setInput(stored, 0, storedLength);
                    raw = new byte[rawLength];
                    int n = 0;
                    while (n < rawLength) {
                        int got = inflater.inflate(raw, n, rawLength - n);
                        if (got == 0 && (inflater.finished() || inflater.needsInput())) {
                            throw new IllegalStateException("a frontier chunk inflates to " + n + " of " + rawLength + " bytes");
                        }
                        n += got;
                    }
                } catch (DataFormatException e) {
                    throw new IllegalStateException("a frontier chunk does not inflate", e);
                } finally {
                    inflater.end();
                }
            } else {
                raw = stored;
            }
            int[] from = new int[count];
            int[] to = new int[count];
            int at = 0;
            for (int i = 0; i < count; i++) {
                long read = Varints.read(raw, at);
                from[i] = (int) read;
                at = from[i] + (int) (read >>> 32);
                to[i] = at;
            }
            bytes = raw;
            starts = from;
            ends = to;
        }

        /** Bytes of the chunk's arrays; for object chunks the references only, not the states they point to. */
        long bytes() {
            if (states != null) {
                return 16 + 4L * states.length;
            }
            long b = stored == null ? 0 : 16 + stored.length;
            if (bytes != null) {
                b += (deflated ? 16 + bytes.length : 0) + 32 + 8L * count;
            }
            return b;
        }
    }

    private final List<Chunk> chunks = new ArrayList<>();
    /** starts[c]: level position of the first state of chunk c. */
    private int[] starts = new int[16];
    private int size;
    private long bytesInMemory;
    private long bytesOnDisk;
    private final long memoryBudget;
    private final Path spillDirectory;
    private Path spillFile;
    private FileChannel channel;
    /** Chunks before this index have been released. */
    private int released;

    /**
     * @param memoryBudget   bytes of packed chunks kept in memory; chunks added past it go to a file
     * @param spillDirectory where that file is created (null: the system's temporary directory)
     */
    Level(long memoryBudget, Path spillDirectory) {
        this.memoryBudget = memoryBudget;
        this.spillDirectory = spillDirectory;
    }

    int size() {
        return size;
    }

    long bytesInMemory() {
        return bytesInMemory;
    }

    long bytesOnDisk() {
        return bytesOnDisk;
    }

    void add(Chunk chunk) {
        if (chunk.count == 0) {
            return;
        }
        if (chunks.size() == starts.length) {
            starts = Arrays.copyOf(starts, starts.length * 2);
        }
        starts[chunks.size()] = size;
        chunks.add(chunk);
        size += chunk.count;
        bytesInMemory += chunk.bytes();
        if (chunk.stored != null && bytesInMemory > memoryBudget) {
            spill(chunk);
        }
    }

    private void spill(Chunk chunk) {
        try {
            if (channel == null) {
                spillFile = spillDirectory == null ? Files.createTempFile("mmcheck-frontier-", ".bin")
                        : Files.createTempFile(spillDirectory, "mmcheck-frontier-", ".bin");
                spillFile.toFile().deleteOnExit();
                channel = FileChannel.open(spillFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
            }
            ByteBuffer buffer = ByteBuffer.wrap(chunk.stored, 0, chunk.storedLength);
            chunk.fileOffset = channel.size();
            long at = chunk.fileOffset;
            while (buffer.hasRemaining()) {
                at += channel.write(buffer, at);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the frontier to " + (spillFile != null ? spillFile : spillDirectory), e);
        }
        bytesInMemory -= chunk.bytes();
        bytesOnDisk += chunk.storedLength;
        chunk.stored = null;
    }

    private void load(Chunk chunk) {
        bytesInMemory -= chunk.bytes();
        if (chunk.stored == null) {
            ByteBuffer buffer = ByteBuffer.allocate(chunk.storedLength);
            try {
                long at = chunk.fileOffset;
                while (buffer.hasRemaining()) {
                    int n = channel.read(buffer, at);
                    if (n < 0) {
                        throw new IOException("the frontier file ends early");
                    }
                    at += n;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the frontier back from " + spillFile, e);
            }
            chunk.stored = buffer.array();
        }
        chunk.unpack();
        bytesInMemory += chunk.bytes();
    }

    /** Index of the chunk holding level position {@code position}. */
    int chunkOf(int position) {
        int c = Arrays.binarySearch(starts, 0, chunks.size(), position);
        return c >= 0 ? c : -c - 2;
    }

    Chunk chunk(int c) {
        return chunks.get(c);
    }

    int start(int c) {
        return starts[c];
    }

    /** Makes positions [from, to) readable and drops the chunks wholly before {@code from}. */
    void prepare(int from, int to) {
        int first = chunkOf(from);
        for (; released < first; released++) {
            Chunk c = chunks.get(released);
            bytesInMemory -= c.bytes();
            chunks.set(released, null);
        }
        for (int c = first; c < chunks.size() && starts[c] < to; c++) {
            Chunk chunk = chunks.get(c);
            if (!chunk.loaded()) {
                load(chunk);
            }
        }
    }

    /** The state at position i of chunk c (loaded), decoded if packed. */
    @SuppressWarnings("unchecked")
    static <S> S state(Chunk chunk, int i, Model<S, ?> model) {
        if (chunk.states != null) {
            return (S) chunk.states[i];
        }
        // at most one word a byte
        int[] words = new int[chunk.ends[i] - chunk.starts[i]];
        int n = Varints.unpack(chunk.bytes, chunk.starts[i], chunk.ends[i], words);
        return model.decode(words, 0, n);
    }

    @Override
    public void close() {
        chunks.clear();
        bytesInMemory = 0;
        if (channel != null) {
            try {
                channel.close();
                Files.deleteIfExists(spillFile);
            } catch (IOException e) {
                // A temporary file left behind is deleted on exit; nothing the search needs depends on it.
            }
            channel = null;
        }
    }
}
