/**
 * A file that sets a fault of its cloud's fake sources or counts their hits runs alone on that
 * cloud (test/support/cloud-lock.ts): its faults would fail its neighbours' calls, their calls
 * would spoil its counts. Read from the file's text, so that a new file is placed without a list.
 */
export const runsAlone = (source: string): boolean => /\b(setFault|sourceHits)\(/.test(source);
