package io.jstack.runtime.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsMessagesTest {
  /** A query for "Web.Example." type A, id 0x1234, RD, with an EDNS OPT record after it. */
  private static final byte[] QUERY =
      HexFormat.of()
          .parseHex(
              "12340100000100000000000103576562074578616d706c650000010001"
                  + "0000291000000000000000");

  @Test
  void question_isReadLowerCase() {
    DnsMessages.Question q = DnsMessages.question(QUERY);
    assertThat(q).isNotNull();
    assertThat(q.name()).isEqualTo("web.example");
    assertThat(q.type()).isEqualTo(DnsMessages.TYPE_A);
    assertThat(q.end()).isEqualTo(29);
  }

  @Test
  void question_ofWhatIsNoQuery_isNull() {
    byte[] response = QUERY.clone();
    response[2] |= (byte) 0x80;
    assertThat(DnsMessages.question(response)).isNull();
    assertThat(DnsMessages.question(java.util.Arrays.copyOf(QUERY, 20))).isNull();
    assertThat(DnsMessages.question(new byte[5])).isNull();
  }

  @Test
  void answer_givesEveryAddressAuthoritatively() {
    DnsMessages.Question q = DnsMessages.question(QUERY);
    byte[] a =
        DnsMessages.answer(
            QUERY, q, List.of(Subnet.parseAddress("172.18.0.2"), 0xac120003L), 600, 0);
    assertThat(HexFormat.of().formatHex(a))
        .isEqualTo(
            "1234"
                + "8580" // QR AA RD, RA, NOERROR
                + "0001000200000000"
                + "03576562074578616d706c650000010001"
                + "c00c00010001000002580004ac120002"
                + "c00c00010001000002580004ac120003");
  }

  @Test
  void answer_ofAnotherType_orUnknown_hasNoRecords() {
    byte[] aaaa = QUERY.clone();
    aaaa[26] = 28;
    DnsMessages.Question q = DnsMessages.question(aaaa);
    byte[] noData = DnsMessages.answer(aaaa, q, List.of(0xac120002L), 600, 0);
    assertThat(HexFormat.of().formatHex(noData)).startsWith("123485800001000000000000");
    byte[] nx = DnsMessages.answer(QUERY, DnsMessages.question(QUERY), List.of(), 600, 3);
    assertThat(HexFormat.of().formatHex(nx)).startsWith("123481830001000000000000");
    assertThat(nx).hasSize(29);
  }
}
