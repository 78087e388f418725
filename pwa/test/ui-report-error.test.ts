import { describe, expect, it, vi } from 'vitest';
import { RequestError } from '../src/data/contract';
import { reportError, reportedErrors } from '../src/app/report-error';

describe('reportError', () => {
  it('shows a failure in the toast, but not a signed-out request (the session banner says that)', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    reportedErrors.value = [];
    reportError('rework notice', new RequestError('Not logged in or the session expired; log in again', 'unauthorized', 401));
    expect(reportedErrors.value).toEqual([]);
    expect(warn).toHaveBeenCalledTimes(1);
    reportError('rework notice', new RequestError('server error', 'http', 500));
    expect(reportedErrors.value.map((e) => e.message)).toEqual(['server error']);
    expect(error).toHaveBeenCalledTimes(1);
    warn.mockRestore();
    error.mockRestore();
  });
});
