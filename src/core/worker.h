/*
 * worker.h — one background thread that works in rounds and sleeps between them until it is told to stop:
 * the start/stop handshake the mail worker (mail/outbox.c) and the daily retention job (cli/retention.c) share.
 */
#ifndef ZW_WORKER_H
#define ZW_WORKER_H

#include <pthread.h>
#include <stdbool.h>

/* Define one per thread with WORKER_INIT; only the functions below write its fields (running may be read by
 * the thread that starts and stops it). */
typedef struct Worker {
  pthread_t thread;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  bool running, stopping;
} Worker;

#define WORKER_INIT {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER}

/* Starts main(NULL) on a thread of its own unless w already runs. Returns false when the thread cannot be
 * created (the caller logs why it matters); true when it runs. Not thread-safe against itself: call from
 * the one thread that starts and stops the server. */
bool worker_start(Worker *w, void *(*main)(void *));

/* Tells w's thread to stop, wakes it from worker_wait and joins it. Nothing when w does not run. */
void worker_stop(Worker *w);

/* For w's thread: true once worker_stop has been called. */
bool worker_stopping(Worker *w);

/* For w's thread: sleeps up to seconds, or less when worker_stop wakes it. Returns false when the thread
 * must stop (then it returns at once without sleeping), true when it may work another round. */
bool worker_wait(Worker *w, int seconds);

#endif
