/* nghttp2's HPACK over the same work as HpackBenchmarks, for the ratio in docs/performance.md:
 *   1. inflate every block of the hpack-test-case corpus (dumped by
 *      `H2.Benchmarks --dump-hpack-corpus <file>`), one inflater per story;
 *   2. deflate + inflate of the same eight-field request, warm tables.
 * Build: cc -O2 -o nghttp2-hpack benchmarks/nghttp2-hpack.c -lnghttp2   (Debian: libnghttp2-dev)
 * Usage: nghttp2-hpack <corpus-dump> [seconds=3]
 */
#include <sys/types.h>
#include <nghttp2/nghttp2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static uint32_t u32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }

/* Inflates one block; returns the number of fields, or -1 on error. */
static long inflate_block(nghttp2_hd_inflater *inflater, const uint8_t *in, size_t length) {
  long fields = 0;
  for (;;) {
    nghttp2_nv nv;
    int flags = 0;
    ssize_t used = nghttp2_hd_inflate_hd2(inflater, &nv, &flags, in, length, 1);
    if (used < 0) return -1;
    in += used;
    length -= (size_t)used;
    if (flags & NGHTTP2_HD_INFLATE_EMIT) fields++;
    if (flags & NGHTTP2_HD_INFLATE_FINAL) {
      nghttp2_hd_inflate_end_headers(inflater);
      return fields;
    }
    if (used == 0 && length == 0) return -1;
  }
}

static long inflate_corpus(const uint8_t *data, size_t size) {
  long fields = 0;
  nghttp2_hd_inflater *inflater = NULL;
  size_t at = 0;
  while (at < size) {
    if (data[at] == 'S') {
      if (inflater) nghttp2_hd_inflate_del(inflater);
      nghttp2_hd_inflate_new(&inflater);
      at++;
      continue;
    }
    uint32_t table = u32(data + at), length = u32(data + at + 4);
    at += 8;
    if (table != UINT32_MAX) nghttp2_hd_inflate_change_table_size(inflater, table);
    long n = inflate_block(inflater, data + at, length);
    if (n < 0) { fprintf(stderr, "inflate failed at offset %zu\n", at); exit(1); }
    fields += n;
    at += length;
  }
  if (inflater) nghttp2_hd_inflate_del(inflater);
  return fields;
}

#define NV(n, v) { (uint8_t *)n, (uint8_t *)v, sizeof(n) - 1, sizeof(v) - 1, NGHTTP2_NV_FLAG_NONE }

int main(int argc, char **argv) {
  if (argc < 2) { fprintf(stderr, "usage: %s <corpus-dump> [seconds]\n", argv[0]); return 2; }
  double seconds = argc > 2 ? atof(argv[2]) : 3.0;
  FILE *f = fopen(argv[1], "rb");
  if (!f) { perror(argv[1]); return 1; }
  fseek(f, 0, SEEK_END);
  size_t size = (size_t)ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *data = malloc(size);
  if (fread(data, 1, size, f) != size) { perror("read"); return 1; }
  fclose(f);

  size_t wire = 0;
  for (size_t at = 0; at < size;) {
    if (data[at] == 'S') { at++; continue; }
    uint32_t length = u32(data + at + 4);
    wire += length;
    at += 8 + length;
  }

  long fields = inflate_corpus(data, size); /* warm up */
  int runs = 0;
  double start = now(), elapsed;
  do { inflate_corpus(data, size); runs++; } while ((elapsed = now() - start) < seconds);
  double per = elapsed / runs;
  printf("nghttp2 %s inflate corpus: %.2f ms/op, %.0f MB/s of wire, %.1f M headers/s (%zu wire octets, %ld fields)\n",
         nghttp2_version(0)->version_str, per * 1e3, wire / per / 1e6, fields / per / 1e6, wire, fields);

  nghttp2_nv request[] = {
    NV(":method", "GET"), NV(":scheme", "https"), NV(":authority", "www.example.com"), NV(":path", "/index.html"),
    NV("user-agent", "Mozilla/5.0 (X11; Linux x86_64) H2Sharp-Benchmark/1.0"),
    NV("accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
    NV("accept-encoding", "gzip, deflate, br"), NV("accept-language", "en-US,en;q=0.5"),
  };
  nghttp2_hd_deflater *deflater;
  nghttp2_hd_inflater *inflater;
  nghttp2_hd_deflate_new(&deflater, 4096);
  nghttp2_hd_inflate_new(&inflater);
  uint8_t block[1024];
  long ops = 0;
  start = now();
  do {
    for (int i = 0; i < 10000; i++) {
      ssize_t n = nghttp2_hd_deflate_hd(deflater, block, sizeof block, request, 8);
      if (n < 0 || inflate_block(inflater, block, (size_t)n) != 8) { fprintf(stderr, "round trip failed\n"); return 1; }
    }
    ops += 10000;
  } while ((elapsed = now() - start) < seconds);
  printf("nghttp2 encode+decode of an 8-field request: %.0f ns/op, %.2f M ops/s\n", elapsed / ops * 1e9, ops / elapsed / 1e6);
  nghttp2_hd_deflate_del(deflater);
  nghttp2_hd_inflate_del(inflater);
  free(data);
  return 0;
}
