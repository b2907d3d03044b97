package io.jstack.compose;

import static io.jstack.compose.ComposeGo.assertLoadError;
import static io.jstack.compose.ComposeGo.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compose's merge rules (notes §8, from compose-go {@code override/merge.go}, {@code uncity.go} and
 * their tests): a base file and an override file ({@code -f compose.yaml -f override.yaml}), one
 * row per rule. Service {@code s} is written as a flow mapping in each file. The expectation lists
 * the fields of {@code s} (or, for top-level rules, the entries of a section) as jstack's model
 * writes them; a {@code null} means the field is absent. {@code {DIR}} is the project directory.
 */
class MergeRulesConformanceTest {
  @TempDir Path dir;

  /**
   * One merge rule: base ⊕ override → expected. {@code baseExtra} follows service {@code s} in the
   * base file (more services, indented, or top-level sections); {@code overrideExtra} comes first
   * in the override file (anchors, top-level sections).
   */
  record Row(
      String name,
      String base,
      String override,
      String expected,
      String baseExtra,
      String overrideExtra) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Row row(String name, String base, String override, String expected) {
    return new Row(name, base, override, expected, "", "");
  }

  private static Row row(
      String name, String base, String override, String expected, String baseExtra) {
    return new Row(name, base, override, expected, baseExtra, "");
  }

  private static Row row(
      String name,
      String base,
      String override,
      String expected,
      String baseExtra,
      String overrideExtra) {
    return new Row(name, base, override, expected, baseExtra, overrideExtra);
  }

  @BeforeEach
  void files() {
    write(dir.resolve("foo.env"), "FOO=foo\n");
    write(dir.resolve("bar.env"), "BAR=bar\n");
    write(dir.resolve("a.label"), "A=a\n");
    write(dir.resolve("b.label"), "B=b\n");
  }

  /** §8.1, per service attribute. */
  static Stream<Row> serviceRules() {
    return Stream.of(
        row(
            "scalars: override replaces",
            "{image: foo, scale: 1}",
            "{image: bar, scale: 2}",
            "{image: bar, scale: 2}"),
        row(
            "scalars: the type may change",
            "{image: i, user: root}",
            "{user: 1000}",
            "{user: '1000'}"),
        row(
            "command: replaced, never appended",
            "{image: i, command: [a, b]}",
            "{command: echo hi}",
            "{command: [echo, hi]}"),
        row(
            "entrypoint: replaced",
            "{image: i, entrypoint: [/a, -x]}",
            "{entrypoint: [/b]}",
            "{entrypoint: [/b]}"),
        row(
            "healthcheck: test replaced, other keys merged",
            "{image: i, healthcheck: {test: [CMD, a], interval: 10s}}",
            "{healthcheck: {test: [CMD, b]}}",
            "{healthcheck: {test: [CMD, b], interval: 10s}}"),
        row(
            "environment: merged by key, empty and null kept",
            "{image: i, environment: {FOO: BAR}}",
            "{environment: {EMPTY: '', NIL: null, QIX: ZOT}}",
            "{environment: {EMPTY: '', FOO: BAR, NIL: null, QIX: ZOT}}"),
        row(
            "environment: a number is formatted, later wins",
            "{image: i, environment: {FOO: 1}}",
            "{environment: {FOO: 3}}",
            "{environment: {FOO: '3'}}"),
        row(
            "environment: mapping then list",
            "{image: i, environment: {FOO: BAR}}",
            "{environment: [QIX=ZOT]}",
            "{environment: {FOO: BAR, QIX: ZOT}}"),
        row(
            "environment: a bare key unsets the value",
            "{image: i, environment: [FOO=BAR]}",
            "{environment: [FOO]}",
            "{environment: {FOO: null}}"),
        row(
            "labels: merged by key",
            "{image: i, labels: {a: '1', c: x}}",
            "{labels: [a=2, b=]}",
            "{labels: {a: '2', b: '', c: x}}"),
        row(
            "annotations: merged by key",
            "{image: i, annotations: [com.example.foo=bar]}",
            "{annotations: {com.example.foo: baz, com.example.new: x}}",
            "{annotations: {com.example.foo: baz, com.example.new: x}}"),
        row(
            "sysctls: merged by key",
            "{image: i, sysctls: {net.core.somaxconn: 1024}}",
            "{sysctls: [net.core.somaxconn=2048, net.ipv4.tcp_syncookies=0]}",
            "{sysctls: {net.core.somaxconn: '2048', net.ipv4.tcp_syncookies: '0'}}"),
        row(
            "deploy.labels: merged by key",
            "{image: i, deploy: {labels: {a: x}}}",
            "{deploy: {labels: [b=y, a=z]}}",
            "{deploy: {labels: {a: z, b: y}}}"),
        row(
            "build.args, build.labels, build.additional_contexts: merged by key",
            "{build: {context: ., args: {A: '1', C: '3'}, labels: [l=1], additional_contexts: {x: ./x}}}",
            "{build: {args: [B=2, A], labels: {m: '2'}, additional_contexts: [y=./y]}}",
            "{build: {context: '{DIR}', dockerfile: Dockerfile, args: {A: null, B: '2', C: '3'},"
                + " labels: {l: '1', m: '2'}, additional_contexts: {x: '{DIR}/x', y: '{DIR}/y'}}}"),
        row(
            "env_file: string then string, appended",
            "{image: i, env_file: foo.env}",
            "{env_file: bar.env}",
            "{env_file: [{path: '{DIR}/foo.env', required: true},"
                + " {path: '{DIR}/bar.env', required: true}]}"),
        row(
            "env_file: keyed by path, later entry replaces in place",
            "{image: i, env_file: [bar.env, foo.env]}",
            "{env_file: [{path: foo.env, required: false}]}",
            "{env_file: [{path: '{DIR}/bar.env', required: true},"
                + " {path: '{DIR}/foo.env', required: false}]}"),
        row(
            "label_file: appended, no unicity",
            "{image: i, label_file: a.label}",
            "{label_file: [b.label, a.label]}",
            "{label_file: ['{DIR}/a.label', '{DIR}/b.label', '{DIR}/a.label']}"),
        row(
            "dns: string merged into list, by value",
            "{image: i, dns: [8.8.8.8, 10.10.10.10, 9.9.9.9]}",
            "{dns: 9.9.9.9}",
            "{dns: [8.8.8.8, 10.10.10.10, 9.9.9.9]}"),
        row(
            "dns_search: string then string",
            "{image: i, dns_search: a.example.com}",
            "{dns_search: b.example.com}",
            "{dns_search: [a.example.com, b.example.com]}"),
        row(
            "dns_opt: by value",
            "{image: i, dns_opt: [use-vc]}",
            "{dns_opt: [use-vc, no-tld-query]}",
            "{dns_opt: [use-vc, no-tld-query]}"),
        row(
            "tmpfs: by value",
            "{image: i, tmpfs: [/foo]}",
            "{tmpfs: [/bar, /baz, /foo]}",
            "{tmpfs: [/foo, /bar, /baz]}"),
        row(
            "extra_hosts: lists, exact repeats dropped, same host other IP kept",
            "{image: i, extra_hosts: [example.com=1.2.3.4]}",
            "{extra_hosts: [localhost=127.0.0.1, example.com=1.2.3.4, example.com=4.3.2.1]}",
            "{extra_hosts: [example.com=1.2.3.4, example.com=4.3.2.1, localhost=127.0.0.1]}"),
        row(
            "extra_hosts: mappings, one entry per IP",
            "{image: i, extra_hosts: {example.com: 1.2.3.4}}",
            "{extra_hosts: {localhost: 127.0.0.1, example.com: [1.2.3.4, 4.3.2.1]}}",
            "{extra_hosts: [example.com=1.2.3.4, example.com=4.3.2.1, localhost=127.0.0.1]}"),
        row(
            "depends_on: list then mapping, merged per service",
            "{image: i, depends_on: [foo]}",
            "{depends_on: {foo: {condition: service_healthy, required: false}}}",
            "{depends_on: {foo: {condition: service_healthy, required: false}}}",
            "  foo: {image: foo}\n"),
        row(
            "depends_on: partial entries merge, defaults after merging",
            "{image: i, depends_on: {foo: {condition: service_healthy}}}",
            "{depends_on: {foo: {required: false}}}",
            "{depends_on: {foo: {condition: service_healthy, required: false}}}",
            "  foo: {image: foo}\n"),
        row(
            "networks: lists become mappings, merged by name",
            "{image: i, networks: [front-network, back-network]}",
            "{networks: [front-network]}",
            "{networks: {back-network: null, front-network: null}}",
            "networks: {front-network: {}, back-network: {}}\n"),
        row(
            "networks: aliases and link_local_ips by value",
            "{image: i, networks: {n: {aliases: [alias1, alias2], link_local_ips: [.11, .13]}}}",
            "{networks: {n: {aliases: [alias3, alias1], link_local_ips: [.12, .13]}}}",
            "{networks: {n: {aliases: [alias1, alias2, alias3], link_local_ips: [.11, .13, .12]}}}",
            "networks: {n: {}}\n"),
        row(
            "networks: list then mapping with aliases",
            "{image: i, networks: [test_network]}",
            "{networks: {test_network: {aliases: [alias1, alias2]}}}",
            "{networks: {test_network: {aliases: [alias1, alias2]}}}",
            "networks: {test_network: {}}\n"),
        row(
            "models: list then mapping, merged by name",
            "{image: i, models: [llm, embedding-model]}",
            "{models: {vision-model: {endpoint_var: VISION_URL}}}",
            "{models: {embedding-model: null, llm: null, vision-model: {endpoint_var: VISION_URL}}}",
            "models: {llm: {model: ai/a}, embedding-model: {model: ai/b}, vision-model: {model:"
                + " ai/c}}\n"),
        row(
            "models: settings of one model merged",
            "{image: i, models: {llm: {endpoint_var: OLD_URL}}}",
            "{models: {llm: {endpoint_var: NEW_URL}}}",
            "{models: {llm: {endpoint_var: NEW_URL}}}",
            "models: {llm: {model: ai/a}}\n"),
        row(
            "logging: another driver replaces the whole block",
            "{image: i, logging: {driver: local, options: {max-size: 10m}}}",
            "{logging: {driver: syslog, options: {syslog-address: 'tcp://192.168.0.42:123'}}}",
            "{logging: {driver: syslog, options: {syslog-address: 'tcp://192.168.0.42:123'}}}"),
        row(
            "logging: the same driver merges options by key",
            "{image: i, logging: {driver: local, options: {max-size: 10m, max-file: 2}}}",
            "{logging: {driver: local, options: {max-file: 3}}}",
            "{logging: {driver: local, options: {max-file: '3', max-size: 10m}}}"),
        row(
            "logging: no driver merges options",
            "{image: i, logging: {options: {max-size: 10m}}}",
            "{logging: {options: {max-file: 3}}}",
            "{logging: {options: {max-file: '3', max-size: 10m}}}"),
        row(
            "build: string then mapping",
            "{build: .}",
            "{build: {context: src}}",
            "{build: {context: '{DIR}/src', dockerfile: Dockerfile}}"),
        row(
            "build.tags: by value",
            "{build: {context: ., tags: ['myimage:mytag']}}",
            "{build: {tags: ['myimage:mytag', 'registry/myimage:my-other-tag']}}",
            "{build: {context: '{DIR}', dockerfile: Dockerfile,"
                + " tags: ['myimage:mytag', 'registry/myimage:my-other-tag']}}"),
        row(
            "ulimits: merged by name, each limit replaced whole",
            "{image: i, ulimits: {nofile: {soft: 20000, hard: 40000}, nproc: 65535,"
                + " locks: {soft: 20000, hard: 40000}, core: 0}}",
            "{ulimits: {nofile: {soft: 10000, hard: 40000}, nproc: {soft: 65535},"
                + " locks: {hard: 65535}}}",
            "{ulimits: {core: 0, locks: {hard: 65535}, nofile: {soft: 10000, hard: 40000},"
                + " nproc: {soft: 65535}}}"),
        row(
            "volumes: appended, short and long syntax",
            "{image: i, volumes: ['data:/a', {type: bind, source: ./b, target: /b}]}",
            "{volumes: ['cache:/c']}",
            "{volumes: [{type: volume, source: data, target: /a, volume: {}},"
                + " {type: bind, source: '{DIR}/b', target: /b},"
                + " {type: volume, source: cache, target: /c, volume: {}}]}",
            "volumes: {data: {}, cache: {}}\n"),
        row(
            "volumes: keyed by target, a later entry replaces in place",
            "{image: i, volumes: ['.:/foo', 'foo:/bar', 'src:/foo']}",
            "{}",
            "{volumes: [{type: volume, source: src, target: /foo, volume: {}},"
                + " {type: volume, source: foo, target: /bar, volume: {}}]}",
            "volumes: {foo: {}, src: {}}\n"),
        row(
            "volumes: the same mount in both files is kept once",
            "{image: i, volumes: ['./src:/src']}",
            "{volumes: ['./src:/src']}",
            "{volumes: [{type: bind, source: '{DIR}/src', target: /src,"
                + " bind: {create_host_path: true}}]}"),
        row(
            "ports: keyed by host_ip:published:target/protocol",
            "{image: i, ports: ['9080:80', '9081:81', '9080:80', '5000', '6060:6060/udp',"
                + " '9080:6060/udp']}",
            "{ports: ['9081:81', '127.0.0.1:9081:81']}",
            "{ports: [{mode: ingress, target: 80, published: '9080', protocol: tcp},"
                + " {mode: ingress, target: 81, published: '9081', protocol: tcp},"
                + " {mode: ingress, target: 5000, protocol: tcp},"
                + " {mode: ingress, target: 6060, published: '6060', protocol: udp},"
                + " {mode: ingress, target: 6060, published: '9080', protocol: udp},"
                + " {mode: ingress, host_ip: 127.0.0.1, target: 81, published: '9081',"
                + " protocol: tcp}]}"),
        row(
            "ports: long syntax, mode is not part of the key",
            "{image: i, ports: [{target: 80, host_ip: 127.0.0.1, published: '8080', protocol: tcp,"
                + " mode: host}, {target: 81, published: '8080', protocol: tcp}]}",
            "{ports: [{target: 80, host_ip: 127.0.0.2, published: '8080', protocol: tcp},"
                + " {target: 81, published: '8080', protocol: tcp}]}",
            "{ports: [{mode: host, host_ip: 127.0.0.1, target: 80, published: '8080', protocol:"
                + " tcp}, {mode: ingress, target: 81, published: '8080', protocol: tcp},"
                + " {mode: ingress, host_ip: 127.0.0.2, target: 80, published: '8080', protocol:"
                + " tcp}]}"),
        row(
            "secrets: keyed by target, default /run/secrets/<source>",
            "{image: i, secrets: [foo, bar, zot]}",
            "{secrets: [{source: zot, target: /run/secrets/foo}]}",
            "{secrets: [{source: zot, target: /run/secrets/foo},"
                + " {source: bar, target: /run/secrets/bar},"
                + " {source: zot, target: /run/secrets/zot}]}",
            "secrets: {foo: {file: ./foo.env}, bar: {file: ./bar.env}, zot: {file: ./foo.env}}\n"),
        row(
            "configs: keyed by target, default /<source>",
            "{image: i, configs: [cfg, {source: other, target: /etc/other}]}",
            "{configs: [{source: cfg, target: /cfg, mode: 0440}]}",
            "{configs: [{source: cfg, target: /cfg, mode: '0440'},"
                + " {source: other, target: /etc/other}]}",
            "configs: {cfg: {file: ./foo.env}, other: {file: ./bar.env}}\n"),
        row(
            "configs: !override replaces the list",
            "{image: i, configs: [{source: credentials, target: /credentials/file1}]}",
            "{configs: !override [{source: credentials, target: /literally-anywhere-else}]}",
            "{configs: [{source: credentials, target: /literally-anywhere-else}]}",
            "configs: {credentials: {content: dummy}}\n"),
        row(
            "devices: keyed by container path",
            "{image: i, devices: ['/dev/sda:/dev/sda', '/dev/sdb:/dev/sdb', '/dev/sdc:/dev/sdc',"
                + " '/dev/sdd:/dev/sdd']}",
            "{devices: ['/dev/nvme0n1p1:/dev/sda', '/dev/nvme1n1p1:/dev/sdb',"
                + " '/dev/nvme2n1p1:/dev/sdc']}",
            "{devices: [{source: /dev/nvme0n1p1, target: /dev/sda, permissions: rwm},"
                + " {source: /dev/nvme1n1p1, target: /dev/sdb, permissions: rwm},"
                + " {source: /dev/nvme2n1p1, target: /dev/sdc, permissions: rwm},"
                + " {source: /dev/sdd, target: /dev/sdd, permissions: rwm}]}"),
        row(
            "cap_add: by value",
            "{image: i, cap_add: [CAP_BPF, CAP_CHOWN]}",
            "{cap_add: [CAP_KILL, CAP_CHOWN]}",
            "{cap_add: [CAP_BPF, CAP_CHOWN, CAP_KILL]}"),
        row(
            "cap_drop: by value",
            "{image: i, cap_drop: [NET_ADMIN, SYS_ADMIN]}",
            "{cap_drop: [NET_ADMIN, CAP_FOWNER]}",
            "{cap_drop: [NET_ADMIN, SYS_ADMIN, CAP_FOWNER]}"),
        row(
            "profiles: by value",
            "{image: i, profiles: [profile1, profile2]}",
            "{profiles: [profile2, profile3]}",
            "{profiles: [profile1, profile2, profile3]}"),
        row(
            "expose: by value, numbers as strings",
            "{image: i, expose: ['3000', 8000]}",
            "{expose: [8000, '9000']}",
            "{expose: ['3000', '8000', '9000']}"),
        row(
            "links: keyed by the text before '=', so an alias is another link",
            "{image: i, links: [service1, service2]}",
            "{links: [service2, 'service1:alias']}",
            "{links: [service1, service2, 'service1:alias']}",
            "  service1: {image: a}\n  service2: {image: b}\n"),
        row(
            "other sequences: appended with repeats",
            "{image: i, security_opt: [no-new-privileges], group_add: [wheel]}",
            "{security_opt: [no-new-privileges], group_add: [wheel, audio]}",
            "{security_opt: [no-new-privileges, no-new-privileges], group_add: [wheel, wheel,"
                + " audio]}"),
        row(
            "other mappings: deep merge, scalar leaves replaced",
            "{image: i, deploy: {replicas: 2, resources: {limits: {cpus: '0.5'}}},"
                + " storage_opt: {size: 1G}}",
            "{deploy: {resources: {limits: {pids: 100}, reservations: {cpus: '0.25'}}},"
                + " storage_opt: {foo: bar}}",
            "{deploy: {replicas: 2, resources: {limits: {cpus: 0.5, pids: 100},"
                + " reservations: {cpus: 0.25}}}, storage_opt: {foo: bar, size: 1G}}"),
        row(
            "x-* in a service: deep merge",
            "{image: i, x-foo: {a: 1, b: {c: 1}}}",
            "{x-foo: {b: {d: 2}}}",
            "{x-foo: {a: 1, b: {c: 1, d: 2}}}"),
        row(
            "init: false replaces true",
            "{image: i, init: true, command: echo hello}",
            "{init: false, command: echo world}",
            "{init: null, command: [echo, world]}"),
        row(
            "!reset removes build and one environment variable",
            "{build: {context: ., dockerfile: foo.Dockerfile}, environment: {FOO: BAR}}",
            "{image: foo, build: !reset null, environment: {FOO: !reset null}}",
            "{image: foo, build: null, environment: null}"),
        row(
            "!reset through an alias",
            "{image: alpine, ports: ['8080:80']}",
            "{ports: *reset}",
            "{ports: null}",
            "",
            "x-reset: &reset !reset []\n"),
        row(
            "!reset through merge keys two levels deep",
            "{image: alpine, ports: ['8080:80']}",
            "{<<: *outer}",
            "{ports: null}",
            "",
            "x-inner: &inner\n  ports: !reset []\nx-outer: &outer\n  <<: *inner\n"),
        row(
            "!override replaces environment whole",
            "{image: i, environment: {A: a, B: b}}",
            "{environment: !override {C: c}}",
            "{environment: {C: c}}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("serviceRules")
  void serviceRule(Row row) {
    Project p = load(row);
    Service s =
        p.services().containsKey("s")
            ? p.services().get("s")
            : ComposeLoader.load(options()).disabledServices().get("s");
    @SuppressWarnings("unchecked")
    Map<String, Object> actual = (Map<String, Object>) Trees.of(s);
    Map<String, Object> expected = expected(row);
    assertThat(pick(actual, expected)).isEqualTo(expected);
  }

  /** §8.2 and §8.3, top-level elements; the expectation names sections and their entries. */
  static Stream<Row> topLevelRules() {
    return Stream.of(
        row(
            "services: merged by name, new names added",
            "{image: a}",
            "{image: b}\n  t: {image: t}",
            "{services: {s: {image: b, networks: {default: null}}, t: {image: t, networks:"
                + " {default: null}}}}"),
        row(
            "models: merged by name",
            "{image: i}",
            "{image: i}",
            "{models: {llm: {model: ai/gpt-4, context_size: 8192}, other: {model: ai/o}}}",
            "models: {llm: {model: ai/smollm2, context_size: 2048}}\n",
            "models: {llm: {model: ai/gpt-4, context_size: 8192}, other: {model: ai/o}}\n"),
        row(
            "networks.ipam.config: merged by subnet; ipam.options by key",
            "{image: i}",
            "{image: i}",
            "{networks: {n: {name: merge_n, ipam: {config: [{subnet: 172.28.0.0/16, ip_range:"
                + " 172.28.5.1/24, aux_addresses: {host1: 172.28.1.5, host2: 172.28.1.4, host3:"
                + " 172.28.1.7, host4: 172.28.1.10}}, {subnet: 172.28.10.0/16, gateway:"
                + " 172.28.10.254}], options: {bar: foo, baz: '0', foo: bar}}}}}",
            """
            networks:
              n:
                ipam:
                  config:
                    - subnet: 172.28.0.0/16
                      ip_range: 172.28.5.0/24
                      aux_addresses: {host1: 172.28.1.5, host2: 172.28.1.6, host3: 172.28.1.7}
                  options: {foo: bar, baz: '0'}
            """,
            """
            networks:
              n:
                ipam:
                  config:
                    - subnet: 172.28.0.0/16
                      ip_range: 172.28.5.1/24
                      aux_addresses: {host2: 172.28.1.4, host4: 172.28.1.10}
                    - subnet: 172.28.10.0/16
                      gateway: 172.28.10.254
                  options: {bar: foo, baz: '0'}
            """),
        row(
            "networks.labels and volumes.labels: merged by key",
            "{image: i}",
            "{image: i}",
            "{networks: {n: {name: merge_n, labels: {department: Finance, department-new: New,"
                + " description: X, label-with-empty-value: ''}}}, volumes: {v: {name: merge_v,"
                + " labels: {a: '1', b: '2'}}}}",
            "networks: {n: {labels: {department: Finance, description: X, label-with-empty-value:"
                + " ''}}}\nvolumes: {v: {labels: {a: '1'}}}\n",
            "networks: {n: {labels: [department-new=New, description=X, label-with-empty-value=]}}\n"
                + "volumes: {v: {labels: [b=2]}}\n"),
        row(
            "x-*: deep merge",
            "{image: i}",
            "{image: i}",
            "{x-extension: {test1: first, test2: second}}",
            "x-extension: {test1: first}\n",
            "x-extension: {test2: second}\n"),
        row(
            "!reset removes a network",
            "{image: i}",
            "{image: i}",
            "{networks: {test: null}}",
            "networks: {test: {name: test, external: true}}\n",
            "networks: {test: !reset {}}\n"),
        row(
            "!override replaces a network",
            "{image: i}",
            "{image: i}",
            "{networks: {test: {name: merge_test}}}",
            "networks: {test: {name: test, external: true}}\n",
            "networks: {test: !override {}}\n"),
        row(
            "!override through a shared alias",
            "{image: i}",
            "{image: i}",
            "{networks: {net1: {name: merge_net1}, net2: {name: merge_net2}}}",
            "networks: {net1: {external: true, name: external-net-1}, net2: {external: true,"
                + " name: external-net-2}}\n",
            "x-override: &ov !override {}\nnetworks: {net1: *ov, net2: *ov}\n"),
        row(
            "secrets and configs: merged by name",
            "{image: i}",
            "{image: i}",
            "{secrets: {s1: {name: merge_s1, file: '{DIR}/foo.env', labels: {a: '1', b: '2'}}},"
                + " configs: {c1: {name: merge_c1, file: '{DIR}/bar.env'}}}",
            "secrets: {s1: {file: ./foo.env, labels: {a: '1'}}}\n"
                + "configs: {c1: {file: ./foo.env}}\n",
            "secrets: {s1: {labels: {b: '2'}}}\nconfigs: {c1: {file: ./bar.env}}\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("topLevelRules")
  void topLevelRule(Row row) {
    @SuppressWarnings("unchecked")
    Map<String, Object> actual = (Map<String, Object>) Trees.of(load(row));
    Map<String, Object> expected = expected(row);
    Map<String, Object> picked = new LinkedHashMap<>();
    expected.forEach(
        (section, entries) -> {
          if (entries instanceof Map<?, ?> m && actual.get(section) instanceof Map<?, ?> a) {
            @SuppressWarnings("unchecked")
            Map<String, Object> e = (Map<String, Object>) m;
            @SuppressWarnings("unchecked")
            Map<String, Object> am = (Map<String, Object>) a;
            picked.put(section, pick(am, e));
          } else {
            picked.put(section, actual.get(section));
          }
        });
    assertThat(picked).isEqualTo(expected);
  }

  /** TestLoadMulmtiDocumentYaml: a later document of one file merges over an earlier one. */
  @Test
  void multiDocumentYaml_laterDocumentOverrides() {
    Path f =
        write(
            dir.resolve("compose.yaml"),
            """
            name: multi
            services:
              web:
                image: nginx:latest
            ---
            services:
              web:
                image: nginx:override
            """);
    Project p = ComposeLoader.load(ProjectOptions.of(List.of(f), Map.of(), dir)).project();
    assertThat(p.services().get("web").image()).isEqualTo("nginx:override");
  }

  /** TestDirectAliasWithReset: one aliased {@code !reset} resets every service using it. */
  @Test
  void directAliasWithReset_resetsEveryService() {
    write(
        dir.resolve("compose.yaml"),
        """
        name: test
        services:
          svc1:
            image: alpine
            ports:
              - "8080:80"
          svc2:
            image: nginx
            ports:
              - "9090:90"
        """);
    write(
        dir.resolve("override.yaml"),
        """
        x-reset: &reset !reset []

        services:
          svc1:
            ports: *reset
          svc2:
            ports: *reset
        """);
    Project p = ComposeLoader.load(options()).project();
    assertThat(p.services().get("svc1").ports()).isEmpty();
    assertThat(p.services().get("svc2").ports()).isEmpty();
    assertThat(p.extensions()).doesNotContainKey("x-reset");
  }

  /** Test_DuplicateReset: a duplicate key is refused before tags are looked at. */
  @Test
  void duplicateReset_duplicateKeyIsRefused() {
    Path f =
        write(
            dir.resolve("compose.yaml"),
            """

             name: test
             services:
               foo:
                 command: hello
                 command: !reset hello world
            """);
    assertLoadError(ProjectOptions.of(List.of(f), Map.of(), dir))
        .contains("compose.yaml:6:")
        .contains("mapping key \"command\" already defined at line 5");
  }

  /** §8, algorithm step 6: a mapping cannot override a sequence without {@code !override}. */
  @Test
  void mappingOverSequence_cannotOverride() {
    write(dir.resolve("compose.yaml"), "services:\n  s: {image: i}\nx-foo: [a]\n");
    write(dir.resolve("override.yaml"), "x-foo: {a: 1}\n");
    assertLoadError(options()).contains("cannot override x-foo");
  }

  private ProjectOptions options() {
    return ProjectOptions.of(
            List.of(Path.of("compose.yaml"), Path.of("override.yaml")), Map.of(), dir)
        .withProfiles(List.of("*"));
  }

  private Project load(Row row) {
    write(
        dir.resolve("compose.yaml"),
        "name: merge\nservices:\n  s: " + row.base() + "\n" + row.baseExtra());
    write(
        dir.resolve("override.yaml"),
        row.overrideExtra() + "services:\n  s: " + row.override() + "\n");
    return ComposeLoader.load(options()).project();
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> expected(Row row) {
    return (Map<String, Object>) Trees.parse(row.expected().replace("{DIR}", dir.toString()));
  }

  /** The entries of {@code actual} that {@code expected} names; an absent one is null. */
  private static Map<String, Object> pick(
      Map<String, Object> actual, Map<String, Object> expected) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String k : expected.keySet()) {
      out.put(k, actual.get(k));
    }
    return out;
  }
}
