/*
 * worker.c — see worker.h. The stop flag is read and written under the mutex, so a stop signalled between a
 * round and its sleep is never lost: worker_wait checks the flag before it waits.
 */
#include "core/worker.h"

#include <time.h>

bool worker_start(Worker *w, void *(*main)(void *)) {
  if (w->running) return true;
  pthread_mutex_lock(&w->mu);
  w->stopping = false;
  pthread_mutex_unlock(&w->mu);
  if (pthread_create(&w->thread, NULL, main, NULL) != 0) return false;
  w->running = true;
  return true;
}

void worker_stop(Worker *w) {
  if (!w->running) return;
  pthread_mutex_lock(&w->mu);
  w->stopping = true;
  pthread_cond_signal(&w->cv);
  pthread_mutex_unlock(&w->mu);
  pthread_join(w->thread, NULL);
  w->running = false;
}

bool worker_stopping(Worker *w) {
  pthread_mutex_lock(&w->mu);
  bool s = w->stopping;
  pthread_mutex_unlock(&w->mu);
  return s;
}

bool worker_wait(Worker *w, int seconds) {
  pthread_mutex_lock(&w->mu);
  if (!w->stopping) {
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += seconds;
    pthread_cond_timedwait(&w->cv, &w->mu, &until);
  }
  bool go = !w->stopping;
  pthread_mutex_unlock(&w->mu);
  return go;
}
