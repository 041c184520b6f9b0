"""What runs in a container: the image catalogue, the programs, the container runtime state.

Public surface (CONTRACTS.md §4): :func:`image_info`, :class:`ImageInfo`, :func:`program_for`,
:class:`Program`, :class:`Handler`, :class:`HttpRequest`, :class:`HttpResponse`, :class:`Runtime`,
:class:`ContainerRuntime`, and :func:`set_exec_runner` (the shell layer's hook for running
non-builtin commands inside containers).
"""

from sandbox.workloads.http import HttpRequest, HttpResponse
from sandbox.workloads.images import ImageInfo, image_info
from sandbox.workloads.minish import set_exec_runner
from sandbox.workloads.program import Handler, Program
from sandbox.workloads.programs import program_for
from sandbox.workloads.runtime import ContainerRuntime, Runtime

__all__ = ["ContainerRuntime", "Handler", "HttpRequest", "HttpResponse", "ImageInfo", "Program", "Runtime",
           "image_info", "program_for", "set_exec_runner"]
