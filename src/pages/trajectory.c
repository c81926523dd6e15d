/* trajectory.c — placeholder until the module lands. */
#include "pages/pages.h"
const Route trajectory_routes[] = {{0}};
