// What the pages need from outside the UI, passed down by context so tests and screenshots can
// swap them: the local data store and the renderer factory.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { DataStore } from '../data/contract';
import type { Renderer } from '../render/contract';

export interface Services {
  store: DataStore;
  createRenderer(canvas: HTMLCanvasElement): Promise<Renderer>;
}

export const ServicesContext = createContext<Services | null>(null);

export function useServices(): Services {
  const s = useContext(ServicesContext);
  if (!s) throw new Error('ServicesContext is missing: render pages inside <ServicesContext.Provider>.');
  return s;
}
