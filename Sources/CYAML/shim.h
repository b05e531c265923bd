// libyaml's event API: the reader builds trees from parser events (whose marks give exact
// byte offsets), the writer drives the emitter with events.
#ifndef SEALKIT_CYAML_SHIM_H
#define SEALKIT_CYAML_SHIM_H
#include <yaml.h>
#endif
