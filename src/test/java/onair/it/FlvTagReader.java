package onair.it;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** Reads an FLV byte stream tag by tag as it arrives: the 9-byte header, then PreviousTagSize and 11-byte tag headers. */
public final class FlvTagReader {

    private final DataInputStream in;
    private boolean headerRead;

    public FlvTagReader(InputStream in) {
        this.in = new DataInputStream(in);
    }

    /** The next tag, or null at a clean end of stream; blocks until it has fully arrived. */
    public FlvTag next() throws IOException {
        if (!headerRead) {
            byte[] header = new byte[9];
            if (!readFullyOrEnd(header)) {
                return null;
            }
            if (header[0] != 'F' || header[1] != 'L' || header[2] != 'V') {
                throw new IOException("not an FLV stream: first bytes %02x %02x %02x"
                        .formatted(header[0], header[1], header[2]));
            }
            int dataOffset = ((header[5] & 0xff) << 24) | ((header[6] & 0xff) << 16) | ((header[7] & 0xff) << 8)
                    | (header[8] & 0xff);
            in.skipNBytes(dataOffset - 9L);
            headerRead = true;
        }
        byte[] prevAndHeader = new byte[4 + 11];
        if (!readFullyOrEnd(prevAndHeader)) {
            return null;
        }
        int type = prevAndHeader[4] & 0x1f;
        int size = ((prevAndHeader[5] & 0xff) << 16) | ((prevAndHeader[6] & 0xff) << 8) | (prevAndHeader[7] & 0xff);
        long timestamp = ((prevAndHeader[8] & 0xffL) << 16) | ((prevAndHeader[9] & 0xffL) << 8)
                | (prevAndHeader[10] & 0xffL) | ((prevAndHeader[11] & 0xffL) << 24);
        byte[] body = new byte[size];
        in.readFully(body);
        return new FlvTag(type, timestamp, body);
    }

    private boolean readFullyOrEnd(byte[] buf) throws IOException {
        int n = in.readNBytes(buf, 0, buf.length);
        if (n == 0 || (headerRead && n == 4)) {
            return false;
        }
        if (n < buf.length) {
            throw new EOFException("FLV stream ended inside a tag header (" + n + " of " + buf.length + " bytes)");
        }
        return true;
    }
}
