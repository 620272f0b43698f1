package onair.testing;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;

import java.util.ArrayList;
import java.util.List;

/** Allocates heap buffers and remembers them, so that a test can assert every one of them was released. */
public final class TrackingAllocator extends AbstractByteBufAllocator {

    private final List<ByteBuf> allocated = new ArrayList<>();
    private int largestArray;

    public TrackingAllocator() {
        super(false);
    }

    public ByteBuf wrap(byte[] bytes) {
        return buffer(bytes.length).writeBytes(bytes);
    }

    public List<ByteBuf> unreleased() {
        return allocated.stream().filter(buf -> buf.refCnt() != 0).toList();
    }

    /** The largest backing array any buffer from this allocator has had, released or not. */
    public int largestCapacity() {
        return largestArray;
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        ByteBuf buf = new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity) {
            @Override
            protected byte[] allocateArray(int length) {
                largestArray = Math.max(largestArray, length);
                return super.allocateArray(length);
            }
        };
        allocated.add(buf);
        return buf;
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return newHeapBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }
}
