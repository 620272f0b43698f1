package onair.rtmp.chunk;

import io.netty.util.ReferenceCounted;

/** What {@link ChunkEncoder} writes: a whole message, or a media frame whose chunks every channel shares. */
public sealed interface ChunkMessage extends ReferenceCounted permits RawMessage, SharedChunks {
}
