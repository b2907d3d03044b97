package io.jstack.engine.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DerTest {
  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  @Test
  void objectIdentifiers_roundTrip() {
    assertThat(hex(Der.oid("1.2.840.10045.4.3.2"))).isEqualTo("06082a8648ce3d040302");
    assertThat(Der.oidText(Der.read(Der.oid("2.5.29.17")).get(0).content())).isEqualTo("2.5.29.17");
    assertThat(Der.oidText(Der.read(Der.oid("1.3.6.1.5.5.7.3.2")).get(0).content()))
        .isEqualTo("1.3.6.1.5.5.7.3.2");
  }

  @Test
  void namedBits_leaveOutTrailingZeros() {
    // digitalSignature alone: one octet, seven unused bits.
    assertThat(hex(Der.namedBits(0))).isEqualTo("03020780");
    // digitalSignature, keyCertSign, cRLSign: bits 0, 5, 6.
    assertThat(hex(Der.namedBits(0, 5, 6))).isEqualTo("03020186");
    // decipherOnly (bit 8) takes a second octet.
    assertThat(hex(Der.namedBits(0, 8))).isEqualTo("0303078080");
  }

  @Test
  void lengths_shortAndLong() {
    assertThat(hex(Der.octets(new byte[3]))).isEqualTo("0403000000");
    byte[] big = Der.octets(new byte[300]);
    assertThat(hex(java.util.Arrays.copyOf(big, 4))).isEqualTo("0482012c");
    assertThat(Der.read(big).get(0).content()).hasSize(300);
    assertThat(hex(Der.integer(128))).isEqualTo("02020080");
  }

  @Test
  void read_refusesWhatIsNotWellFormed() {
    assertThatThrownBy(() -> Der.read(new byte[] {0x30, 0x05, 0x01}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("longer than its input");
    assertThatThrownBy(() -> Der.read(new byte[] {0x30, (byte) 0x85, 1, 1, 1, 1, 1}))
        .hasMessageContaining("bad DER length");
  }
}
