/*
 * xlsxlib.c - libxlsxwriter through dlopen (see sv_xlsxlib.h for why).
 */
#include "sv_xlsxlib.h"
#include "sv_diag.h"

#include <dlfcn.h>
#include <string.h>

bool sv_xlsxlib_open(struct sv_xlsxlib *lib, const char *soname)
{
	memset(lib, 0, sizeof *lib);
	/* RTLD_NOW: a library missing a function fails here, before any
	 * workbook is begun, not halfway through one */
	lib->handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (!lib->handle) {
		const char *why = dlerror();
		sv_diag("-f xlsx needs libxlsxwriter, which cannot be loaded: %s (on Debian: apt-get install "
			"libxlsxwriter4)",
			why ? why : soname);
		return false;
	}
	/* POSIX makes dlsym's object pointer convertible to a function
	 * pointer; ISO C does not, so the bytes are copied */
#define SV_XLSXLIB_FIND(name) \
	do { \
		void *sym = dlsym(lib->handle, #name); \
		if (!sym) { \
			sv_diag("-f xlsx needs libxlsxwriter, and %s has no function %s: install libxlsxwriter4", soname, \
				#name); \
			sv_xlsxlib_close(lib); \
			return false; \
		} \
		memcpy(&lib->name, &sym, sizeof sym); \
	} while (0);
	SV_XLSXLIB_FUNCTIONS(SV_XLSXLIB_FIND)
#undef SV_XLSXLIB_FIND
	return true;
}

void sv_xlsxlib_close(struct sv_xlsxlib *lib)
{
	if (lib->handle)
		dlclose(lib->handle);
	memset(lib, 0, sizeof *lib);
}
