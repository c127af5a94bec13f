"""Train the bundled scene model on procedurally drawn scenes (DDPM noise prediction, EMA).

Budgeted by wall-clock minutes rather than steps, because the machines this runs on are shared and
their speed varies several-fold with load. Checkpoints hold everything needed to continue
(``--resume``), and every checkpoint also exports the EMA weights in the bundled fp16 format.
"""

from __future__ import annotations

import copy
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
import torch.nn.functional as F

from data import tabular
from generation.model import NULL_CLASS, build_train_scheduler, build_unet, save_model
from generation.scenes import SCENES, scene_dataset

STATE_FILE = "training_state.pt"


@dataclass
class TrainConfig:
    out: Path
    minutes: float = 40.0
    threads: int = 1
    resolution: int = 32
    batch_size: int = 32
    per_class: int = 2000
    lr: float = 5e-4
    warmup_steps: int = 100
    weight_decay: float = 1e-4
    label_dropout: float = 0.1
    ema_max_decay: float = 0.998
    checkpoint_minutes: float = 5.0
    bf16: bool = True
    seed: int = 0
    resume: bool = False
    max_steps: int | None = None
    block_out_channels: tuple[int, ...] = (32, 64, 128, 128)


def _save(cfg: TrainConfig, unet, ema, opt, step: int, elapsed: float, tag: str | None) -> None:
    out = Path(cfg.out)
    meta = {
        "steps": step,
        "train_seconds": round(elapsed, 1),
        "images_seen": step * cfg.batch_size,
        "config": {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(cfg).items()},
        "torch": torch.__version__,
    }
    state = {
        "unet": unet.state_dict(),
        "ema": ema.state_dict(),
        "opt": opt.state_dict(),
        "step": step,
        "elapsed": elapsed,
        "rng": torch.get_rng_state(),
    }
    tmp = out / (STATE_FILE + ".tmp")
    torch.save(state, tmp)
    tmp.replace(out / STATE_FILE)
    save_model(ema, out / "model", extra=meta)
    if tag:
        save_model(ema, out / f"ckpt_{tag}", extra=meta)


def train(cfg: TrainConfig, log=print) -> Path:
    """Train (or continue training) and return the folder with the exported EMA model."""
    out = Path(cfg.out)
    out.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(cfg.threads)
    torch.manual_seed(cfg.seed)

    t0 = time.perf_counter()
    images, labels = scene_dataset(cfg.per_class, cfg.resolution, seed=cfg.seed)
    data = torch.from_numpy(images).permute(0, 3, 1, 2).float().div_(127.5).sub_(1.0)
    targets = torch.from_numpy(labels)
    log(f"drew {len(data)} scenes ({len(SCENES)} classes) at {cfg.resolution}px in {time.perf_counter() - t0:.1f}s")

    unet = build_unet(resolution=cfg.resolution, block_out_channels=cfg.block_out_channels)
    ema = copy.deepcopy(unet).requires_grad_(False)
    opt = torch.optim.AdamW(unet.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    scheduler = build_train_scheduler()
    step, elapsed_before = 0, 0.0
    if cfg.resume:
        state_path = out / STATE_FILE
        if not state_path.is_file():
            raise FileNotFoundError(f"--resume given but {state_path} does not exist")
        state = torch.load(state_path, weights_only=False)
        unet.load_state_dict(state["unet"])
        ema.load_state_dict(state["ema"])
        opt.load_state_dict(state["opt"])
        step, elapsed_before = state["step"], state["elapsed"]
        torch.set_rng_state(state["rng"])
        log(f"resumed at step {step} after {elapsed_before / 60:.1f} min of training")
    n_params = sum(p.numel() for p in unet.parameters())
    log(f"UNet {n_params / 1e6:.2f}M parameters, {cfg.threads} thread(s), bf16={cfg.bf16}")

    log_path = out / "log.csv"
    new_log = not log_path.exists()
    log_file = log_path.open("a", newline="")
    writer = tabular.Writer(log_file)
    if new_log:
        writer.writerow(["step", "train_minutes", "loss_ema", "sec_per_step"])

    budget = cfg.minutes * 60.0
    start = time.perf_counter()
    next_ckpt = cfg.checkpoint_minutes * 60.0
    loss_ema = None
    last_t, last_step = start, step
    unet.train()
    while True:
        run_elapsed = time.perf_counter() - start
        if run_elapsed >= budget or (cfg.max_steps is not None and step >= cfg.max_steps):
            break
        idx = torch.randint(len(data), (cfg.batch_size,))
        x0 = data[idx]
        flip = torch.rand(cfg.batch_size) < 0.5
        x0 = torch.where(flip[:, None, None, None], x0.flip(-1), x0)
        y = targets[idx].clone()
        y[torch.rand(cfg.batch_size) < cfg.label_dropout] = NULL_CLASS
        noise = torch.randn_like(x0)
        t = torch.randint(0, scheduler.config.num_train_timesteps, (cfg.batch_size,))
        xt = scheduler.add_noise(x0, noise, t)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=cfg.bf16):
            pred = unet(xt, t, class_labels=y).sample
        loss = F.mse_loss(pred.float(), noise)

        for group in opt.param_groups:
            group["lr"] = cfg.lr * min(1.0, (step + 1) / cfg.warmup_steps)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(unet.parameters(), 1.0)
        opt.step()
        step += 1
        decay = min(cfg.ema_max_decay, (1 + step) / (10 + step))
        with torch.no_grad():
            for pe, p in zip(ema.parameters(), unet.parameters(), strict=True):
                pe.lerp_(p, 1 - decay)

        loss_ema = loss.item() if loss_ema is None else 0.98 * loss_ema + 0.02 * loss.item()
        if step % 50 == 0:
            now = time.perf_counter()
            sps = (now - last_t) / max(1, step - last_step)
            last_t, last_step = now, step
            minutes = (elapsed_before + now - start) / 60
            writer.writerow([step, f"{minutes:.2f}", f"{loss_ema:.5f}", f"{sps:.3f}"])
            log_file.flush()
            log(f"step {step:6d}  {minutes:6.1f} min  loss {loss_ema:.4f}  {sps:.2f} s/step")
        if time.perf_counter() - start >= next_ckpt:
            total = elapsed_before + time.perf_counter() - start
            _save(cfg, unet, ema, opt, step, total, tag=f"{round(total / 60):03d}min")
            log(f"checkpoint at step {step} ({total / 60:.1f} min)")
            next_ckpt += cfg.checkpoint_minutes * 60.0

    total = elapsed_before + time.perf_counter() - start
    _save(cfg, unet, ema, opt, step, total, tag=f"{round(total / 60):03d}min")
    log_file.close()
    (out / "summary.json").write_text(json.dumps({"steps": step, "train_minutes": round(total / 60, 2)}) + "\n")
    log(f"done: {step} steps, {total / 60:.1f} min; EMA model in {out / 'model'}")
    return out / "model"
