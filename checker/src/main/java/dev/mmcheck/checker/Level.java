package dev.mmcheck.checker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One BFS level of the frontier: the states of one depth in the order they were admitted, as a list of chunks.
 * A chunk holds either packed encodings (when the model can decode them: an int array of words and an int array
 * of ends, about 4 bytes a word) or state objects (when it cannot). Packed chunks past a memory budget are written
 * to a file as they arrive and read back, one block at a time, when the level is expanded: the frontier can be
 * larger than the heap.
 *
 * <p>Only the checking thread adds, loads and releases chunks; workers read loaded chunks between those calls.
 */
final class Level<S> implements AutoCloseable {

    /** A run of consecutive states of the level. */
    static final class Chunk {
        final int count;
        /** Packed: the words of state i are words[i == 0 ? 0 : ends[i - 1], ends[i]). Null while spilled. */
        int[] words;
        int[] ends;
        /** Object chunks: the states themselves. */
        final Object[] states;
        /** Where the chunk is in the spill file, or -1 if it was never written there. */
        long fileOffset = -1;
        final int wordCount;

        private Chunk(int count, int[] words, int[] ends, Object[] states) {
            this.count = count;
            this.words = words;
            this.ends = ends;
            this.states = states;
            this.wordCount = words == null ? 0 : ends[count - 1];
        }

        static Chunk packed(int[] words, int[] ends, int count) {
            return new Chunk(count, words, ends, null);
        }

        static Chunk objects(Object[] states) {
            return new Chunk(states.length, null, null, states);
        }

        boolean loaded() {
            return states != null || words != null;
        }

        /** Bytes of the chunk's arrays; for object chunks the references only, not the states they point to. */
        long bytes() {
            if (states != null) {
                return 16 + 4L * states.length;
            }
            return words == null ? 0 : 32 + 4L * words.length + 4L * ends.length;
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
        if (chunk.words != null && bytesInMemory > memoryBudget) {
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
            ByteBuffer buffer = ByteBuffer.allocate(4 * (chunk.wordCount + chunk.count)).order(ByteOrder.nativeOrder());
            buffer.asIntBuffer().put(chunk.ends, 0, chunk.count).put(chunk.words, 0, chunk.wordCount);
            chunk.fileOffset = channel.size();
            long at = chunk.fileOffset;
            while (buffer.hasRemaining()) {
                at += channel.write(buffer, at);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the frontier to " + (spillFile != null ? spillFile : spillDirectory), e);
        }
        bytesInMemory -= chunk.bytes();
        bytesOnDisk += 4L * (chunk.wordCount + chunk.count);
        chunk.words = null;
        chunk.ends = null;
    }

    private void load(Chunk chunk) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * (chunk.wordCount + chunk.count)).order(ByteOrder.nativeOrder());
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
        buffer.flip();
        int[] ends = new int[chunk.count];
        int[] words = new int[chunk.wordCount];
        buffer.asIntBuffer().get(ends).get(words);
        chunk.ends = ends;
        chunk.words = words;
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
        int from = i == 0 ? 0 : chunk.ends[i - 1];
        return model.decode(chunk.words, from, chunk.ends[i] - from);
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
