/*
 * The native half of the jstack launcher. It asks the running embedded engine to run this command
 * line in the engine's warm JVM (POST /jstack/run on the engine's unix socket, see the engine's
 * ResidentRoutes), prints what comes back and exits with the command's status; Ctrl-C is forwarded.
 * When no engine answers, or the engine refuses (another user, another build of jstack, a command
 * that needs this process's input or terminal), it runs the command in a JVM of its own instead:
 * the fallback command line it was given, exactly what the launcher would have run.
 *
 * Usage: jstack-client [--sources ROOT STAMP] SOCKET BUILD N ARG1 .. ARGN FALLBACK-COMMAND ..
 * (the fallback gets ARG1 .. ARGN appended). JSTACK_RESIDENT_DEBUG=1 says where the command ran,
 * and why not in the engine. With --sources it first does the launcher's freshness check (is any of
 * ROOT's pom.xml files or src/main trees, directories included, newer than STAMP?) and, when the
 * sources changed, runs the launcher ROOT/jstack again with JSTACK_SOURCES_CHANGED=1 so that it
 * rebuilds: in C the check takes about a millisecond, where the launcher's `find` took seven.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <ftw.h>
#include <glob.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

extern char **environ;

static volatile int conn = -1;
static int debug;

struct buf {
  char *p;
  size_t len, cap;
};

static void put(struct buf *b, const char *s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (b->len + n + 1 > cap) cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
      fputs("jstack: out of memory\n", stderr);
      exit(1);
    }
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = 0;
}

static void puts_(struct buf *b, const char *s) { put(b, s, strlen(s)); }

/* Appends s as a JSON string; returns -1 (appending nothing useful) when s is not UTF-8. */
static int put_json(struct buf *b, const char *s) {
  const unsigned char *u = (const unsigned char *)s;
  puts_(b, "\"");
  for (size_t i = 0; u[i];) {
    unsigned char c = u[i];
    int extra = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : -1;
    if (extra < 0 || (extra == 1 && c < 0xC2)) return -1;
    for (int k = 1; k <= extra; k++)
      if ((u[i + k] & 0xC0) != 0x80) return -1;
    if (extra > 0) {
      put(b, (const char *)u + i, extra + 1);
      i += extra + 1;
      continue;
    }
    if (c == '"' || c == '\\') {
      char e[2] = {'\\', (char)c};
      put(b, e, 2);
    } else if (c < 0x20) {
      char e[8];
      snprintf(e, sizeof e, "\\u%04x", c);
      puts_(b, e);
    } else {
      put(b, (const char *)&c, 1);
    }
    i++;
  }
  puts_(b, "\"");
  return 0;
}

static char **fallback_argv;

/* Runs the command in a JVM of its own; never returns. */
static void fall_back(const char *why, ...) {
  if (debug) {
    va_list ap;
    va_start(ap, why);
    fputs("jstack: running in a process of its own: ", stderr);
    vfprintf(stderr, why, ap);
    fputc('\n', stderr);
    va_end(ap);
  }
  if (conn >= 0) close(conn);
  execv(fallback_argv[0], fallback_argv);
  fprintf(stderr, "jstack: cannot run %s: %s\n", fallback_argv[0], strerror(errno));
  exit(1);
}

static struct timespec stamp_time;

static int newer(const struct stat *st) {
  return st->st_mtim.tv_sec > stamp_time.tv_sec ||
         (st->st_mtim.tv_sec == stamp_time.tv_sec && st->st_mtim.tv_nsec > stamp_time.tv_nsec);
}

static int newer_entry(const char *path, const struct stat *st, int type, struct FTW *ftw) {
  (void)path, (void)type, (void)ftw;
  return newer(st);
}

/* Whether any file or directory the CLI is built from is newer than STAMP (what `find ROOT/pom.xml
 * ROOT/STAR/pom.xml ROOT/STAR/src/main -newer STAMP` would print); a stamp that cannot be read counts
 * as changed. */
static int sources_changed(const char *root, const char *stamp) {
  struct stat st;
  if (stat(stamp, &st) != 0) return 1;
  stamp_time = st.st_mtim;
  char pattern[4096];
  snprintf(pattern, sizeof pattern, "%s/pom.xml", root);
  if (stat(pattern, &st) == 0 && newer(&st)) return 1;
  const char *trees[] = {"%s/*/pom.xml", "%s/*/src/main"};
  for (size_t t = 0; t < sizeof trees / sizeof *trees; t++) {
    glob_t g;
    snprintf(pattern, sizeof pattern, trees[t], root);
    if (glob(pattern, 0, NULL, &g) != 0) continue;
    int changed = 0;
    for (size_t i = 0; i < g.gl_pathc && !changed; i++) {
      changed = nftw(g.gl_pathv[i], newer_entry, 16, FTW_PHYS) > 0;
    }
    globfree(&g);
    if (changed) return 1;
  }
  return 0;
}

static void write_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return; /* A closed output (| head): the rest is dropped, as the JVM's would be. */
    }
    p += w;
    n -= (size_t)w;
  }
}

/* Reads exactly n bytes; returns 0 at the end of the connection. */
static int read_full(int fd, char *p, size_t n) {
  while (n > 0) {
    ssize_t r = read(fd, p, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return 0;
    p += r;
    n -= (size_t)r;
  }
  return 1;
}

static void on_interrupt(int sig) {
  (void)sig;
  int saved = errno;
  char etx = 3;
  if (conn >= 0) (void)!write(conn, &etx, 1);
  errno = saved;
}

int main(int argc, char **argv) {
  const char *d = getenv("JSTACK_RESIDENT_DEBUG");
  debug = d && *d && strcmp(d, "0") != 0;
  if (argc > 3 && strcmp(argv[1], "--sources") == 0) {
    const char *root = argv[2], *stamp = argv[3];
    argv += 3;
    argc -= 3;
    if (argc > 3 && sources_changed(root, stamp)) {
      int n = atoi(argv[3]);
      if (n < 0 || 4 + n > argc) {
        fputs("jstack-client: N does not match the arguments\n", stderr);
        return 2;
      }
      char launcher[4096];
      snprintf(launcher, sizeof launcher, "%s/jstack", root);
      char **again = calloc((size_t)n + 2, sizeof(char *));
      if (!again) return 1;
      again[0] = launcher;
      memcpy(again + 1, argv + 4, (size_t)n * sizeof(char *));
      if (debug) fputs("jstack: the sources changed; the launcher builds the CLI again\n", stderr);
      setenv("JSTACK_SOURCES_CHANGED", "1", 1);
      execv(launcher, again);
      fprintf(stderr, "jstack: cannot run %s: %s\n", launcher, strerror(errno));
      return 1;
    }
  }
  if (argc < 5) {
    fputs("usage: jstack-client SOCKET BUILD N ARG1 .. ARGN FALLBACK-COMMAND ..\n", stderr);
    return 2;
  }
  const char *socket_path = argv[1], *build = argv[2];
  int n = atoi(argv[3]);
  if (n < 0 || 4 + n >= argc) {
    fputs("jstack-client: N does not match the arguments\n", stderr);
    return 2;
  }
  char **args = argv + 4, **fallback = argv + 4 + n;
  int nfallback = argc - 4 - n;
  fallback_argv = calloc((size_t)(nfallback + n + 1), sizeof(char *));
  if (!fallback_argv) return 1;
  memcpy(fallback_argv, fallback, (size_t)nfallback * sizeof(char *));
  memcpy(fallback_argv + nfallback, args, (size_t)n * sizeof(char *));

  if (!*build) fall_back("the launcher named no build");
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  if (strlen(socket_path) >= sizeof addr.sun_path) fall_back("the socket path is too long");
  strcpy(addr.sun_path, socket_path);
  char cwd[4096];
  if (!getcwd(cwd, sizeof cwd)) fall_back("the working directory cannot be read");

  struct buf body = {0};
  int bad = 0;
  puts_(&body, "{\"Build\":");
  bad |= put_json(&body, build);
  puts_(&body, ",\"Dir\":");
  bad |= put_json(&body, cwd);
  puts_(&body, isatty(0) && isatty(1) ? ",\"Terminal\":true,\"Args\":[" : ",\"Terminal\":false,\"Args\":[");
  for (int i = 0; i < n; i++) {
    if (i) puts_(&body, ",");
    bad |= put_json(&body, args[i]);
  }
  puts_(&body, "],\"Env\":[");
  for (char **e = environ; *e; e++) {
    if (e != environ) puts_(&body, ",");
    bad |= put_json(&body, *e);
  }
  puts_(&body, "]}");
  if (bad) fall_back("an argument or variable is not UTF-8");

  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) fall_back("socket: %s", strerror(errno));
  if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
    close(fd);
    fall_back("no engine answers on %s (%s)", socket_path, strerror(errno));
  }
  conn = fd;

  struct buf req = {0};
  char head[256];
  snprintf(head, sizeof head,
           "POST /jstack/run HTTP/1.1\r\nHost: engine\r\nContent-Type: application/json\r\n"
           "Content-Length: %zu\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n",
           body.len);
  puts_(&req, head);
  put(&req, body.p, body.len);
  for (size_t off = 0; off < req.len;) {
    ssize_t w = write(fd, req.p + off, req.len - off);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) fall_back("the request could not be sent: %s", strerror(errno));
    off += (size_t)w;
  }

  /* The answer's head; whatever follows it in the same read is the first frames. */
  struct buf in = {0};
  char chunk[65536];
  char *end = NULL;
  while (!end) {
    ssize_t r = read(fd, chunk, sizeof chunk);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) fall_back("the engine closed the connection without an answer");
    put(&in, chunk, (size_t)r);
    end = strstr(in.p, "\r\n\r\n");
    if (!end && in.len > 65536) fall_back("the engine's answer has no end of its head");
  }
  if (strncmp(in.p, "HTTP/1.1 101", 12) != 0) {
    char *nl = strchr(in.p, '\r');
    if (nl) *nl = 0;
    fall_back("the engine answered %s: %s", in.p, end + 4);
  }

  /* From here on the engine runs the command: this process only relays. */
  if (debug) fputs("jstack: the engine runs it\n", stderr);
  struct sigaction sa = {.sa_handler = on_interrupt, .sa_flags = SA_RESTART};
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);

  size_t have = in.len - (size_t)(end + 4 - in.p);
  char *pending = end + 4;
  for (;;) {
    unsigned char h[8];
    size_t got = have < 8 ? have : 8;
    memcpy(h, pending, got);
    pending += got;
    have -= got;
    if (got < 8 && !read_full(fd, (char *)h + got, 8 - got)) break;
    uint32_t len = (uint32_t)h[4] << 24 | (uint32_t)h[5] << 16 | (uint32_t)h[6] << 8 | h[7];
    if (h[0] == 3 && len == 4) {
      unsigned char c[4];
      size_t from = have < 4 ? have : 4;
      memcpy(c, pending, from);
      pending += from;
      have -= from;
      if (from < 4 && !read_full(fd, (char *)c + from, 4 - from)) break;
      return (int)((uint32_t)c[0] << 24 | (uint32_t)c[1] << 16 | (uint32_t)c[2] << 8 | c[3]);
    }
    while (len > 0) {
      size_t take;
      const char *p;
      if (have > 0) {
        take = have < len ? have : len;
        p = pending;
        pending += take;
        have -= take;
      } else {
        ssize_t r = read(fd, chunk, len < sizeof chunk ? len : sizeof chunk);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) goto gone;
        take = (size_t)r;
        p = chunk;
      }
      if (h[0] == 1 || h[0] == 2) write_all(h[0], p, take);
      len -= (uint32_t)take;
    }
  }
gone:
  fputs("jstack: the engine ended the connection before the command did; run it again, or with "
        "JSTACK_RESIDENT=off in a process of its own\n", stderr);
  return 1;
}
