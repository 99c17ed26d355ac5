package dev.sluice.net.server;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A UNIX domain datagram socket ({@code AF_UNIX}, {@code SOCK_DGRAM}) through libc with the FFM
 * API: the JDK's channels only do UNIX <em>stream</em> sockets, and syslog's default transport
 * ({@code /dev/log}-style {@code unix_udp}) is datagrams. Linux only. A receive is a blocking
 * native call with a timeout ({@code SO_RCVTIMEO}); run it on a platform thread.
 */
public final class UnixDatagramSocket implements AutoCloseable {

	private static final int AF_UNIX = 1;

	private static final int SOCK_DGRAM = 2;

	private static final int SOL_SOCKET = 1;

	private static final int SO_RCVBUF = 8;

	private static final int SO_RCVTIMEO = 20;

	private static final int EINTR = 4;

	private static final int EAGAIN = 11;

	/** {@code sun_path} in {@code struct sockaddr_un}. */
	private static final int PATH_MAX = 108;

	private static final Linker LINKER = Linker.nativeLinker();

	private static final SymbolLookup LIBC = LINKER.defaultLookup();

	private static final StructLayout ERRNO_LAYOUT = Linker.Option.captureStateLayout();

	private static final VarHandle ERRNO = ERRNO_LAYOUT.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));

	private static final Linker.Option CAPTURE = Linker.Option.captureCallState("errno");

	private static final MethodHandle SOCKET = handle("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));

	private static final MethodHandle BIND = handle("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));

	private static final MethodHandle RECV = handle("recv",
			FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));

	private static final MethodHandle SENDTO = handle("sendto",
			FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));

	private static final MethodHandle SETSOCKOPT = handle("setsockopt",
			FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));

	private static final MethodHandle CLOSE = handle("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

	private static final MethodHandle STRERROR = LINKER.downcallHandle(LIBC.find("strerror").orElseThrow(),
			FunctionDescriptor.of(ADDRESS.withTargetLayout(java.lang.foreign.MemoryLayout.sequenceLayout(256, ValueLayout.JAVA_BYTE)), JAVA_INT));

	private static MethodHandle handle(String name, FunctionDescriptor d) {
		return LINKER.downcallHandle(LIBC.find(name).orElseThrow(), d, CAPTURE);
	}

	private final Arena arena = Arena.ofShared();

	private final MemorySegment errno = this.arena.allocate(ERRNO_LAYOUT);

	private volatile int fd;

	private long timeoutMillis = -1;

	private MemorySegment buffer = MemorySegment.NULL;

	private UnixDatagramSocket(int fd) {
		this.fd = fd;
	}

	/** Opens an unbound socket (a client that sends with {@link #send}). */
	public static UnixDatagramSocket open() throws IOException {
		try (Arena a = Arena.ofConfined()) {
			MemorySegment err = a.allocate(ERRNO_LAYOUT);
			int fd = (int) SOCKET.invokeExact(err, AF_UNIX, SOCK_DGRAM, 0);
			if (fd < 0) {
				throw new IOException("socket(AF_UNIX, SOCK_DGRAM): " + strerror((int) ERRNO.get(err, 0L)));
			}
			return new UnixDatagramSocket(fd);
		}
		catch (IOException | RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IOException(ex);
		}
	}

	/** Opens a socket bound at {@code path}. */
	public static UnixDatagramSocket bind(Path path) throws IOException {
		UnixDatagramSocket s = open();
		try {
			MemorySegment addr = s.sockaddr(path);
			int r = (int) BIND.invokeExact(s.errno, s.fd, addr, (int) addr.byteSize());
			if (r != 0) {
				throw new IOException("could not bind address unix://" + path + ": " + s.lastError());
			}
			return s;
		}
		catch (IOException | RuntimeException | Error ex) {
			s.close();
			throw ex;
		}
		catch (Throwable ex) {
			s.close();
			throw new IOException(ex);
		}
	}

	private MemorySegment sockaddr(Path path) throws IOException {
		byte[] p = path.toString().getBytes(StandardCharsets.UTF_8);
		if (p.length >= PATH_MAX) {
			throw new IOException("unix socket path too long (" + p.length + " bytes, at most " + (PATH_MAX - 1) + "): "
					+ path);
		}
		MemorySegment addr = this.arena.allocate(2 + PATH_MAX, 2);
		addr.set(JAVA_SHORT, 0, (short) AF_UNIX);
		MemorySegment.copy(p, 0, addr, ValueLayout.JAVA_BYTE, 2, p.length);
		return addr;
	}

	public void setReceiveBuffer(int bytes) throws IOException {
		MemorySegment v = this.arena.allocate(JAVA_INT);
		v.set(JAVA_INT, 0, bytes);
		setOption(SO_RCVBUF, v);
	}

	private void setOption(int option, MemorySegment value) throws IOException {
		try {
			int r = (int) SETSOCKOPT.invokeExact(this.errno, this.fd, SOL_SOCKET, option, value, (int) value.byteSize());
			if (r != 0) {
				throw new IOException("setsockopt(" + option + "): " + lastError());
			}
		}
		catch (IOException | RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IOException(ex);
		}
	}

	/**
	 * Receives one datagram into {@code buf} (a longer one is truncated). Returns its length, or
	 * -1 when nothing arrived within {@code timeoutMillis}.
	 */
	public synchronized int receive(byte[] buf, long timeoutMillis) throws IOException {
		int fd = this.fd;
		if (fd < 0) {
			throw new ClosedChannelException();
		}
		if (timeoutMillis != this.timeoutMillis) {
			MemorySegment tv = this.arena.allocate(16, 8);
			tv.set(JAVA_LONG, 0, timeoutMillis / 1000);
			tv.set(JAVA_LONG, 8, (timeoutMillis % 1000) * 1000);
			setOption(SO_RCVTIMEO, tv);
			this.timeoutMillis = timeoutMillis;
		}
		if (this.buffer.byteSize() < buf.length) {
			this.buffer = this.arena.allocate(buf.length);
		}
		long n;
		try {
			n = (long) RECV.invokeExact(this.errno, fd, this.buffer, (long) buf.length, 0);
		}
		catch (Throwable ex) {
			throw new IOException(ex);
		}
		if (n < 0) {
			int e = (int) ERRNO.get(this.errno, 0L);
			if (this.fd < 0) {
				throw new ClosedChannelException();
			}
			if (e == EAGAIN || e == EINTR) {
				return -1;
			}
			throw new IOException("recv: " + strerror(e));
		}
		MemorySegment.copy(this.buffer, ValueLayout.JAVA_BYTE, 0, buf, 0, (int) n);
		return (int) n;
	}

	/** Sends one datagram to the socket at {@code path}. */
	public synchronized void send(Path path, byte[] data) throws IOException {
		try (Arena a = Arena.ofConfined()) {
			MemorySegment addr = sockaddr(path);
			MemorySegment d = a.allocate(Math.max(1, data.length));
			MemorySegment.copy(data, 0, d, ValueLayout.JAVA_BYTE, 0, data.length);
			long n = (long) SENDTO.invokeExact(this.errno, this.fd, d, (long) data.length, 0, addr, (int) addr.byteSize());
			if (n < 0) {
				throw new IOException("sendto unix://" + path + ": " + lastError());
			}
		}
		catch (IOException | RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IOException(ex);
		}
	}

	private String lastError() {
		return strerror((int) ERRNO.get(this.errno, 0L));
	}

	private static String strerror(int errno) {
		try {
			MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
			return s.getString(0) + " (errno " + errno + ")";
		}
		catch (Throwable ex) {
			return "errno " + errno;
		}
	}

	/**
	 * Closes the socket. A receive blocked in another thread returns at its next timeout. The
	 * native memory is released with the socket.
	 */
	@Override
	public void close() {
		int f;
		synchronized (this) {
			f = this.fd;
			this.fd = -1;
		}
		if (f >= 0) {
			try {
				int ignored = (int) CLOSE.invokeExact(this.errno, f);
			}
			catch (Throwable ex) {
				// closing
			}
			this.arena.close();
		}
	}
}
