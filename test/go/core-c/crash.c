/* A C program that dereferences a null pointer: its core is the "core of a non-Go program"
   the core dump tests hand to Go Lens. Built with gcc by the tests (not part of the Go module). */
#include <stdio.h>

static int *nothing;

int main(void) {
  printf("about to crash\n");
  return *nothing;
}
