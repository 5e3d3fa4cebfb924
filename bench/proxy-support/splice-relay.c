/*
 * splice-relay: the floor for any proxy on this machine, for `pnpm bench proxy`. A TCP relay from
 * 127.0.0.1:<ephemeral> to 127.0.0.1:<target port> that moves bytes with splice(2) through a pipe,
 * never copying them into user space, one forked process per connection, no HTTP parsing. It
 * prints its port on stdout once listening. Usage: splice-relay <target port>
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#define CHUNK (1 << 20)

/* pump moves what `from` has ready to `to`; returns 0 at EOF or error. */
static int pump(int from, int to, int pipe_r, int pipe_w) {
  ssize_t n = splice(from, NULL, pipe_w, NULL, CHUNK, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
  if (n <= 0) return 0;
  while (n > 0) {
    ssize_t m = splice(pipe_r, NULL, to, NULL, (size_t)n, SPLICE_F_MOVE);
    if (m <= 0) return 0;
    n -= m;
  }
  return 1;
}

static void relay(int client, int target_port) {
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(target_port)};
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int up = socket(AF_INET, SOCK_STREAM, 0);
  if (up < 0 || connect(up, (struct sockaddr *)&addr, sizeof addr) != 0) _exit(1);
  int p[2];
  if (pipe(p) != 0) _exit(1);
  fcntl(p[0], F_SETPIPE_SZ, CHUNK);
  struct pollfd fds[2] = {{.fd = client, .events = POLLIN}, {.fd = up, .events = POLLIN}};
  for (;;) {
    if (poll(fds, 2, -1) < 0) break;
    if (fds[0].revents && !pump(client, up, p[0], p[1])) break;
    if (fds[1].revents && !pump(up, client, p[0], p[1])) break;
  }
  _exit(0);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: splice-relay <target port>\n");
    return 2;
  }
  int target_port = atoi(argv[1]);
  signal(SIGPIPE, SIG_IGN);
  signal(SIGCHLD, SIG_IGN);
  int ls = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = 0};
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (ls < 0 || bind(ls, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(ls, 64) != 0 ||
      getsockname(ls, (struct sockaddr *)&addr, &len) != 0) {
    perror("splice-relay");
    return 1;
  }
  printf("%d\n", ntohs(addr.sin_port));
  fflush(stdout);
  for (;;) {
    int c = accept(ls, NULL, NULL);
    if (c < 0) continue;
    if (fork() == 0) {
      close(ls);
      relay(c, target_port);
    }
    close(c);
  }
}
