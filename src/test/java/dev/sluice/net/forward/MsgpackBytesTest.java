package dev.sluice.net.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

import dev.sluice.event.EventTime;
import dev.sluice.event.MsgpackValues;

class MsgpackBytesTest {

	static byte[] pack(Object v) throws Exception {
		MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
		MsgpackValues.pack(p, v);
		return p.toByteArray();
	}

	@Test
	void findsTheEndOfEveryKindOfValueAndReportsIncompleteOnEveryPrefix() throws Exception {
		MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
		p.packArrayHeader(20);
		p.packNil();
		p.packBoolean(true);
		p.packInt(5);
		p.packInt(-5);
		p.packInt(200);
		p.packInt(70_000);
		p.packLong(1L << 40);
		p.packLong(-(1L << 40));
		p.packFloat(1.5f);
		p.packDouble(2.5);
		p.packString("x".repeat(40));
		p.packString("y".repeat(300));
		p.packString("z".repeat(70_000));
		p.packBinaryHeader(3);
		p.writePayload(new byte[] { 1, 2, 3 });
		MsgpackValues.packEventTime(p, new EventTime(1, 2));
		p.packExtensionTypeHeader((byte) 5, 3);
		p.writePayload(new byte[] { 1, 2, 3 });
		p.packArrayHeader(20);
		for (int i = 0; i < 20; i++) {
			p.packInt(i);
		}
		p.packMapHeader(20);
		for (int i = 0; i < 20; i++) {
			p.packString("k" + i);
			p.packInt(i);
		}
		p.packExtensionTypeHeader((byte) 1, 16);
		p.writePayload(new byte[16]);
		p.packValue(org.msgpack.value.ValueFactory.newMap(Map.of(
				org.msgpack.value.ValueFactory.newString("a"), org.msgpack.value.ValueFactory.newArray(List.of()))));
		byte[] b = p.toByteArray();
		byte[] padded = Arrays.copyOf(b, b.length + 7);
		assertThat(MsgpackBytes.end(padded, 0, padded.length)).isEqualTo(b.length);
		for (int cut = 0; cut < b.length; cut += (cut < 200 ? 1 : 997)) {
			assertThat(MsgpackBytes.end(b, 0, cut)).as("prefix %d", cut).isEqualTo(MsgpackBytes.INCOMPLETE);
		}
	}

	@Test
	void deepNestingDoesNotOverflow() {
		byte[] b = new byte[1_000_001];
		Arrays.fill(b, 0, 1_000_000, (byte) 0x91);
		b[1_000_000] = (byte) 0xc0;
		assertThat(MsgpackBytes.end(b, 0, b.length)).isEqualTo(b.length);
	}

	@Test
	void reservedByteIsInvalid() {
		assertThatThrownBy(() -> MsgpackBytes.end(new byte[] { (byte) 0x92, 1, (byte) 0xc1 }, 0, 3))
			.isInstanceOf(MsgpackBytes.InvalidMsgpackException.class)
			.hasMessageContaining("0xc1");
	}

	@Test
	void hugeDeclaredLengthsAreJustIncomplete() {
		byte[] b = { (byte) 0xdb, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 'a' };
		assertThat(MsgpackBytes.end(b, 0, b.length)).isEqualTo(MsgpackBytes.INCOMPLETE);
		byte[] arr = { (byte) 0xdd, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2 };
		assertThat(MsgpackBytes.end(arr, 0, arr.length)).isEqualTo(MsgpackBytes.INCOMPLETE);
	}
}
