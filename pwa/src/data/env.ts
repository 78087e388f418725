// The few browser APIs the data layer uses, typed here rather than through the DOM lib so the same code
// compiles and runs in Node tests (fake-indexeddb), where they are missing. Every caller checks presence.

export interface LockManagerLike {
  request<T>(name: string, callback: (lock: unknown) => Promise<T>): Promise<T>;
}

export interface StorageManagerLike {
  persist?(): Promise<boolean>;
  persisted?(): Promise<boolean>;
  estimate?(): Promise<{ usage?: number; quota?: number }>;
}

interface NavigatorLike {
  onLine?: boolean;
  locks?: LockManagerLike;
  storage?: StorageManagerLike;
}

export interface EventTargetLike {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

interface BrowserGlobals {
  navigator?: NavigatorLike;
  document?: EventTargetLike & { visibilityState?: string };
  window?: EventTargetLike;
}

const g = globalThis as unknown as BrowserGlobals;

export const browserNavigator = (): NavigatorLike | undefined => g.navigator;
export const browserDocument = () => g.document;
export const browserWindow = () => g.window;

/** `navigator.onLine`, assuming online where the browser cannot tell. */
export const isOnline = (): boolean => g.navigator?.onLine !== false;
