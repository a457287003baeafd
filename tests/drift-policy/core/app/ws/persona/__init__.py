from . import rate, search
