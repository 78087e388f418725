// The GPU backend: three.js on the (offscreen) canvas. The overlay camera takes its view and
// projection matrices straight from the shared camera module, so it lands on the pixels the CPU
// backend and `projectPoints` name. Colour management is off: the photo's bytes go to the screen as
// they are, like the CPU path.
import * as THREE from 'three';
import { projectionMatrix, viewMatrix } from '@in3d/shared/camera';
import type { DecodedMesh } from '@in3d/shared/mesh/types';
import type { Backend, FrameDesc, Layer } from '../layers';
import { SILHOUETTE_FILL } from '../cpu/overlay';
import { boundingRadius, unpackRgb, type Rect } from '../view';
import { DEPTH_JUMP } from '../cpu/overlay';
import { featureEdgeMaterial, flatShadedMaterial, normalDepthMaterial, silhouetteMaterial } from './materials';

interface GpuMesh {
  lines: THREE.BufferGeometry;
  tris: THREE.BufferGeometry;
}

export function createWebglBackend(canvas: OffscreenCanvas): Backend | null {
  THREE.ColorManagement.enabled = false;
  const renderer = new THREE.WebGLRenderer({ canvas, antialias: true, alpha: false, stencil: true, powerPreference: 'high-performance' });
  renderer.outputColorSpace = THREE.LinearSRGBColorSpace;
  renderer.autoClear = false;
  renderer.setPixelRatio(1);

  const gpu = new WeakMap<DecodedMesh, GpuMesh>();
  const owned = new Set<GpuMesh>();

  // Photo and bbox: an orthographic camera in device pixels, y down.
  const flat = new THREE.Scene();
  const flatCam = new THREE.OrthographicCamera(0, 1, 0, 1, -1, 1);
  const photoTex = new THREE.Texture();
  photoTex.flipY = false;
  photoTex.colorSpace = THREE.NoColorSpace;
  photoTex.generateMipmaps = true;
  photoTex.minFilter = THREE.LinearMipmapLinearFilter;
  const photoQuad = new THREE.Mesh(new THREE.PlaneGeometry(1, 1), new THREE.MeshBasicMaterial({ map: photoTex, side: THREE.DoubleSide, toneMapped: false }));
  photoQuad.frustumCulled = false;
  flat.add(photoQuad);
  const bboxMat = new THREE.MeshBasicMaterial({ side: THREE.DoubleSide, toneMapped: false });
  const bboxBars = [0, 1, 2, 3].map(() => {
    const m = new THREE.Mesh(new THREE.PlaneGeometry(1, 1), bboxMat);
    m.frustumCulled = false;
    flat.add(m);
    return m;
  });
  let photoBitmap: ImageBitmap | null = null;

  // Overlay: one camera whose matrices are set per layer; one scene holding whatever a layer needs.
  const cam = new THREE.Camera();
  cam.matrixAutoUpdate = false;
  cam.matrixWorldAutoUpdate = false;
  const overlay = new THREE.Scene();
  overlay.matrixWorldAutoUpdate = false;
  const lineMat = new THREE.LineBasicMaterial({ transparent: true, depthTest: false, depthWrite: false, toneMapped: false });
  drawEachPixelOnce(lineMat);
  const depthMat = new THREE.MeshBasicMaterial({ colorWrite: false, side: THREE.DoubleSide });
  const shadeMat = flatShadedMaterial();
  drawEachPixelOnce(shadeMat);
  const maskMat = new THREE.MeshBasicMaterial({ color: 0xffffff, side: THREE.DoubleSide, toneMapped: false });
  const lines = new THREE.LineSegments(undefined, lineMat);
  const solid = new THREE.Mesh<THREE.BufferGeometry, THREE.Material>(undefined, depthMat);
  for (const o of [lines, solid]) {
    o.frustumCulled = false;
    o.matrixAutoUpdate = false;
  }
  overlay.add(lines, solid);

  // Silhouette: the mesh's coverage into a mask, then a full-screen pass that outlines it.
  let mask = new THREE.WebGLRenderTarget(1, 1, { depthBuffer: false, generateMipmaps: false });
  const outline = silhouetteMaterial(mask.texture);
  const screen = new THREE.Scene();
  const screenCam = new THREE.OrthographicCamera(-1, 1, 1, -1, -1, 1);
  const screenQuad = new THREE.Mesh(new THREE.PlaneGeometry(2, 2), outline);
  screenQuad.frustumCulled = false;
  screen.add(screenQuad);

  // Feature edges: normals and depth of the nearest surface into a float target, then a full-screen
  // pass that finds the lines in it (the same rules as the CPU path).
  let nd = new THREE.WebGLRenderTarget(1, 1, { type: THREE.FloatType, depthBuffer: true, generateMipmaps: false });
  const ndMat = normalDepthMaterial();
  const edgeMat = featureEdgeMaterial(nd.texture);

  function geometryOf(mesh: DecodedMesh): GpuMesh {
    let g = gpu.get(mesh);
    if (!g) {
      const pos = new THREE.BufferAttribute(mesh.positions, 3);
      const lineGeom = new THREE.BufferGeometry().setAttribute('position', pos).setIndex(new THREE.BufferAttribute(mesh.edges, 1));
      const triGeom = new THREE.BufferGeometry().setAttribute('position', pos).setIndex(new THREE.BufferAttribute(mesh.triangles, 1));
      g = { lines: lineGeom, tris: triGeom };
      gpu.set(mesh, g);
      owned.add(g);
    }
    return g;
  }

  function placeCamera(layer: Layer, width: number, height: number): void {
    const { pose, viewport } = layer.projection;
    const r = boundingRadius(layer.mesh);
    const d = pose.distance;
    const near = Math.max(d - 2 * r, d * 1e-3, 1e-4), far = d + 2 * r;
    cam.projectionMatrix.fromArray(projectionMatrix(viewport, pose.px, pose.py, width, height, near, far));
    cam.projectionMatrixInverse.copy(cam.projectionMatrix).invert();
    cam.matrixWorldInverse.fromArray(viewMatrix(pose));
    cam.matrixWorld.copy(cam.matrixWorldInverse).invert();
  }

  function drawBase(f: FrameDesc): void {
    flatCam.left = 0;
    flatCam.right = f.width;
    flatCam.top = 0;
    flatCam.bottom = f.height;
    flatCam.updateProjectionMatrix();
    renderer.setClearColor(new THREE.Color(...unpackRgb(f.background)), 1);
    renderer.clear(true, true, true);
    photoQuad.visible = f.photo !== null;
    if (f.photo) {
      if (photoBitmap !== f.photo.bitmap) {
        photoBitmap = f.photo.bitmap;
        photoTex.image = photoBitmap;
        photoTex.needsUpdate = true;
      }
      place(photoQuad, f.photo.rect);
    }
    const bb = f.bbox;
    for (const bar of bboxBars) bar.visible = bb !== null;
    if (bb) {
      const { x, y, w, h } = bb.rect, t = bb.lineWidth;
      bboxMat.color.setRGB(...unpackRgb(bb.color));
      place(bboxBars[0]!, { x: x - t / 2, y: y - t / 2, w: w + t, h: t });
      place(bboxBars[1]!, { x: x - t / 2, y: y + h - t / 2, w: w + t, h: t });
      place(bboxBars[2]!, { x: x - t / 2, y: y - t / 2, w: t, h: h + t });
      place(bboxBars[3]!, { x: x + w - t / 2, y: y - t / 2, w: t, h: h + t });
    }
    renderer.render(flat, flatCam);
  }

  function drawLayer(layer: Layer, f: FrameDesc): number {
    const g = geometryOf(layer.mesh);
    placeCamera(layer, f.width, f.height);
    const [r, gr, b] = unpackRgb(layer.color);
    renderer.clear(false, true, true);
    if (layer.mode === 'edges') {
      lines.visible = false;
      solid.visible = true;
      solid.geometry = g.tris;
      solid.material = ndMat;
      if (nd.width !== f.width || nd.height !== f.height) nd.setSize(f.width, f.height);
      renderer.setRenderTarget(nd);
      renderer.setClearColor(0x000000, 0);
      renderer.clear(true, true, false);
      renderer.render(overlay, cam);
      renderer.setRenderTarget(null);
      const feat = layer.features;
      const lw = Math.max(1, Math.min(4, Math.round(feat?.lineWidth ?? 1)));
      const lo = -((lw - 1) >> 1);
      edgeMat.uniforms.color!.value.setRGB(r, gr, b);
      edgeMat.uniforms.opacity!.value = layer.opacity;
      edgeMat.uniforms.cosCrease!.value = Math.cos(((feat?.creaseDeg ?? 40) * Math.PI) / 180);
      edgeMat.uniforms.depthTol!.value = DEPTH_JUMP * boundingRadius(layer.mesh);
      edgeMat.uniforms.lo!.value = lo;
      edgeMat.uniforms.hi!.value = lo + lw - 1;
      screenQuad.material = edgeMat;
      renderer.render(screen, screenCam);
      screenQuad.material = outline;
      return layer.mesh.triangleCount;
    }
    if (layer.mode === 'wireframe') {
      lines.geometry = g.lines;
      lines.visible = true;
      solid.visible = false;
      lineMat.color.setRGB(r, gr, b);
      lineMat.opacity = layer.opacity;
      renderer.render(overlay, cam);
      return layer.mesh.edgeCount;
    }
    lines.visible = false;
    solid.visible = true;
    solid.geometry = g.tris;
    if (layer.mode === 'shaded') {
      // Depth first, then colour where depth matches: only the nearest surface is tinted, once.
      solid.material = depthMat;
      renderer.render(overlay, cam);
      solid.material = shadeMat;
      shadeMat.uniforms.color!.value.setRGB(r, gr, b);
      shadeMat.uniforms.opacity!.value = layer.opacity;
      renderer.render(overlay, cam);
      return layer.mesh.triangleCount;
    }
    if (mask.width !== f.width || mask.height !== f.height) mask.setSize(f.width, f.height);
    solid.material = maskMat;
    renderer.setRenderTarget(mask);
    renderer.setClearColor(0x000000, 0);
    renderer.clear(true, false, false);
    renderer.render(overlay, cam);
    renderer.setRenderTarget(null);
    outline.uniforms.color!.value.setRGB(r, gr, b);
    outline.uniforms.edgeAlpha!.value = layer.opacity;
    outline.uniforms.fillAlpha!.value = layer.opacity * SILHOUETTE_FILL;
    renderer.render(screen, screenCam);
    return layer.mesh.triangleCount;
  }

  return {
    kind: 'webgl',
    resize(width, height) {
      renderer.setSize(width, height, false);
    },
    draw(f) {
      if (f.width === 0 || f.height === 0) return 0;
      if (canvas.width !== f.width || canvas.height !== f.height) renderer.setSize(f.width, f.height, false);
      // A GPU redraws the photo faster than any caching would save; `baseKey` is for the CPU path.
      drawBase(f);
      let drawn = 0;
      // The overlay stays inside the photo (GL's scissor box counts rows from the bottom).
      renderer.setScissor(f.clip.x, f.height - f.clip.y - f.clip.h, f.clip.w, f.clip.h);
      renderer.setScissorTest(true);
      for (const layer of f.layers) drawn += drawLayer(layer, f);
      renderer.setScissorTest(false);
      return drawn;
    },
    forget(mesh) {
      const g = gpu.get(mesh);
      if (!g) return;
      g.lines.dispose();
      g.tris.dispose();
      gpu.delete(mesh);
      owned.delete(g);
    },
    dispose() {
      for (const g of owned) {
        g.lines.dispose();
        g.tris.dispose();
      }
      owned.clear();
      photoTex.dispose();
      mask.dispose();
      mask = new THREE.WebGLRenderTarget(1, 1);
      nd.dispose();
      nd = new THREE.WebGLRenderTarget(1, 1);
      renderer.dispose();
    },
  };
}

/** Stencil test so overlapping primitives of one layer tint a pixel once, as the CPU backend does. */
function drawEachPixelOnce(m: THREE.Material): void {
  m.stencilWrite = true;
  m.stencilRef = 1;
  m.stencilFunc = THREE.NotEqualStencilFunc;
  m.stencilZPass = THREE.ReplaceStencilOp;
}

function place(o: THREE.Object3D, r: Rect): void {
  o.position.set(r.x + r.w / 2, r.y + r.h / 2, 0);
  o.scale.set(r.w || 1e-6, r.h || 1e-6, 1);
  o.updateMatrix();
}
