/*
 * swift_demangle.c: preloaded with the AddressSanitizer runtime into a
 * PostgreSQL that is not built with it (test/sanitize/run).
 *
 * Preloaded, the runtime initializes at the first malloc, which on Debian 12
 * happens inside bindtextdomain() in the constructor of libgpg-error, under
 * glibc's lock of the message catalogs.  Its initialization looks up
 * swift_demangle and, when there is none, clears the error with dlerror(),
 * which translates the message under the same lock: the lock is left broken
 * and the server hangs in its own bindtextdomain() before main() is done.
 * With this symbol there the lookup succeeds and nothing is translated.  It
 * demangles nothing: the runtime then keeps names as they are.
 */
#include <stddef.h>
#include <stdint.h>

char	   *swift_demangle(const char *name, size_t length, char *out,
						   size_t *out_length, uint32_t flags);

char *
swift_demangle(const char *name, size_t length, char *out,
			   size_t *out_length, uint32_t flags)
{
	return NULL;
}
